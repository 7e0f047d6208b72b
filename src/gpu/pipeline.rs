//! Kernels, their explicit bind group layouts, and the pipeline cache.
//!
//! A [`Kernel`] names a WGSL file, an entry point, the defines it is built with, its uniform
//! struct and the access of each storage binding. By convention binding 0 of group 0 is the
//! kernel's uniform struct (declared with [`uniform_struct!`](crate::uniform_struct), padded to 16
//! bytes, mirrored in WGSL) and bindings 1.. are storage buffers in the order listed. Pipelines
//! are built on first use and cached by (file, entry point, defines); every wgpu object carries
//! the kernel's name so that validation errors say where they come from.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use wgpu::util::DeviceExt;

use super::shader::{preprocess, Shader, Uniform, UniformLayout};
use super::{Gpu, GpuError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    ReadWrite,
}

/// One entry point of a shader built with some of its defines, with its uniform struct and the
/// access of its storage bindings 1..=n.
pub struct Kernel {
    pub shader: &'static Shader,
    pub entry: &'static str,
    pub defines: &'static [&'static str],
    pub params: UniformLayout,
    pub storage: &'static [Access],
}

impl Kernel {
    /// `entry` of `shader` with no defines, taking uniforms `P`.
    pub const fn new<P: Uniform>(
        shader: &'static Shader,
        entry: &'static str,
        storage: &'static [Access],
    ) -> Kernel {
        Kernel { shader, entry, defines: &[], params: P::LAYOUT, storage }
    }

    /// The same entry point built with `defines` set.
    pub const fn with(self, defines: &'static [&'static str]) -> Kernel {
        Kernel { defines, ..self }
    }

    pub fn label(&self) -> String {
        if self.defines.is_empty() {
            format!("{}::{}", self.shader.name, self.entry)
        } else {
            format!("{}::{}[{}]", self.shader.name, self.entry, self.defines.join(","))
        }
    }
}

struct Compiled {
    pipeline: wgpu::ComputePipeline,
    layout: wgpu::BindGroupLayout,
}

/// A shader module: (file, defines).
type ModuleKey = (&'static str, &'static [&'static str]);

#[derive(Default)]
pub struct PipelineCache {
    modules: Mutex<HashMap<ModuleKey, wgpu::ShaderModule>>,
    pipelines: Mutex<HashMap<(ModuleKey, &'static str), Arc<Compiled>>>,
}

impl PipelineCache {
    /// Number of pipelines built so far (each costs a driver compile on first use).
    pub fn len(&self) -> usize {
        self.pipelines.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn get(&self, device: &wgpu::Device, kernel: &Kernel) -> Result<Arc<Compiled>> {
        let module_key = (kernel.shader.name, kernel.defines);
        let key = (module_key, kernel.entry);
        if let Some(c) = self.pipelines.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
            return Ok(c.clone());
        }
        let label = kernel.label();
        let module = {
            let mut modules = self.modules.lock().unwrap_or_else(|p| p.into_inner());
            match modules.get(&module_key) {
                Some(m) => m.clone(),
                None => {
                    let source = preprocess(kernel.shader, kernel.defines).map_err(GpuError::Shape)?;
                    // Browsers want subgroup builtins enabled by name, which naga (natively) does
                    // not accept (browser.rs). On the first line, so errors keep their line numbers.
                    #[cfg(target_arch = "wasm32")]
                    let source = if kernel.defines.contains(&"SUBGROUPS") {
                        format!("enable subgroups; {source}")
                    } else {
                        source
                    };
                    let m = device.create_shader_module(wgpu::ShaderModuleDescriptor {
                        label: Some(&label),
                        source: wgpu::ShaderSource::Wgsl(source.into()),
                    });
                    modules.insert(module_key, m.clone());
                    m
                }
            }
        };
        let mut entries = vec![wgpu::BindGroupLayoutEntry {
            binding: 0,
            visibility: wgpu::ShaderStages::COMPUTE,
            ty: wgpu::BindingType::Buffer {
                ty: wgpu::BufferBindingType::Uniform,
                has_dynamic_offset: false,
                min_binding_size: None,
            },
            count: None,
        }];
        for (i, access) in kernel.storage.iter().enumerate() {
            entries.push(wgpu::BindGroupLayoutEntry {
                binding: i as u32 + 1,
                visibility: wgpu::ShaderStages::COMPUTE,
                ty: wgpu::BindingType::Buffer {
                    ty: wgpu::BufferBindingType::Storage { read_only: *access == Access::Read },
                    has_dynamic_offset: false,
                    min_binding_size: None,
                },
                count: None,
            });
        }
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some(&label),
            entries: &entries,
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some(&label),
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let pipeline = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some(&label),
            layout: Some(&pipeline_layout),
            module: &module,
            entry_point: Some(kernel.entry),
            compilation_options: Default::default(),
            cache: None,
        });
        let compiled = Arc::new(Compiled { pipeline, layout });
        self.pipelines.lock().unwrap_or_else(|p| p.into_inner()).insert(key, compiled.clone());
        Ok(compiled)
    }
}

impl Gpu {
    /// Build `kernel`'s pipeline now (it is otherwise built at its first dispatch) and return
    /// what the device's shader compiler said against it: the check that a kernel compiles on
    /// this adapter, natively (naga, then the driver) and in the browser (Tint).
    pub async fn compile(&self, kernel: &Kernel) -> Result<()> {
        let scope = self.device.push_error_scope(wgpu::ErrorFilter::Validation);
        let built = self.pipelines.get(&self.device, kernel);
        let error = scope.pop().await;
        built?;
        match error {
            Some(e) => Err(GpuError::from_wgpu(&format!("building {}", kernel.label()), e)),
            None => Ok(()),
        }
    }

    /// Record one dispatch of `kernel` into `pass`: `params` is its uniform struct, `storage`
    /// its storage bindings in order, `groups` the workgroup counts.
    pub fn dispatch<P: Uniform>(
        &self,
        pass: &mut wgpu::ComputePass<'_>,
        kernel: &Kernel,
        params: &P,
        storage: &[wgpu::BufferBinding<'_>],
        groups: [u32; 3],
    ) -> Result<()> {
        let label = kernel.label();
        if kernel.params.name != P::LAYOUT.name {
            return Err(GpuError::Shape(format!(
                "{label}: takes uniforms {}, given {}",
                kernel.params.name,
                P::LAYOUT.name
            )));
        }
        let params: &[u8] = bytemuck::bytes_of(params);
        if !params.len().is_multiple_of(16) {
            return Err(GpuError::Shape(format!(
                "{label}: uniform struct is {} bytes, not a multiple of 16",
                params.len()
            )));
        }
        if storage.len() != kernel.storage.len() {
            return Err(GpuError::Shape(format!(
                "{label}: {} storage buffers given, {} expected",
                storage.len(),
                kernel.storage.len()
            )));
        }
        let max_binding = self.limits.max_storage_buffer_binding_size;
        let mut bound = 0;
        for b in storage {
            let size = b.size.map(|s| s.get()).unwrap_or(b.buffer.size() - b.offset);
            bound += size;
            if size > max_binding {
                return Err(GpuError::TooLarge {
                    label: format!("{label} binding"),
                    limit: "max_storage_buffer_binding_size",
                    need: size,
                    have: max_binding,
                });
            }
        }
        let max_groups = self.limits.max_compute_workgroups_per_dimension;
        if groups.iter().any(|&g| g > max_groups) {
            return Err(GpuError::Shape(format!(
                "{label}: dispatch of {groups:?} workgroups exceeds {max_groups} per dimension"
            )));
        }
        if groups.contains(&0) {
            return Ok(());
        }

        let compiled = self.pipelines.get(&self.device, kernel)?;
        let uniform = self.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some(&label),
            contents: params,
            usage: wgpu::BufferUsages::UNIFORM,
        });
        let mut entries = vec![wgpu::BindGroupEntry { binding: 0, resource: uniform.as_entire_binding() }];
        for (i, b) in storage.iter().enumerate() {
            entries.push(wgpu::BindGroupEntry {
                binding: i as u32 + 1,
                resource: wgpu::BindingResource::Buffer(b.clone()),
            });
        }
        let bind_group = self.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some(&label),
            layout: &compiled.layout,
            entries: &entries,
        });
        let timed = self.profile_begin(pass, &label, bound);
        pass.set_pipeline(&compiled.pipeline);
        pass.set_bind_group(0, &bind_group, &[]);
        pass.dispatch_workgroups(groups[0], groups[1], groups[2]);
        if let Some(end) = timed {
            self.profile_end(pass, end);
        }
        Ok(())
    }

    /// Record `f`'s dispatches into one compute pass of a fresh encoder and submit it.
    /// Kernel tests and benchmarks use this; training records a whole step into one encoder.
    pub fn run<E: From<GpuError>>(
        &self,
        label: &str,
        f: impl FnOnce(&mut wgpu::ComputePass<'_>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut encoder =
            self.device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: Some(label) });
        {
            let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
                label: Some(label),
                timestamp_writes: None,
            });
            f(&mut pass)?;
        }
        self.submit(encoder)?;
        Ok(self.check()?)
    }
}
