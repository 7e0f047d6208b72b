//! How fast a product runs with its operands read from storage buffers or from textures, on this
//! machine's adapter: `cargo bench --bench operands [-- --layout nn --lanes 4 --m 512 --k 768
//! --n 3072]`.
//!
//! A measurement, not a kernel of the library. Every form is the same subgroup product, in one of
//! the two layouts of the products with frozen weights: `nt` (the default), C = A·Bᵀ with A (M, K)
//! and B (N, K) both contiguous along K, as `matmul_subgroup_nt` reads them (the input gradients,
//! dX = dY·Wᵀ), and `nn`, C = A·B with B (K, N) read as vec4 along N, as `matmul_subgroup_nn4`
//! (the forward, Y = X·W). Each of `lanes` invocations owns `cols / lanes` columns of a
//! `rows x cols` tile of C, loads rows of A that it shares with `subgroupBroadcast`, and takes four
//! k at a time. A texture of B holds it as the buffer does, a row per row of B, a texel per four
//! values: so one texture of a weight W (K, N) serves both layouts. Only where A and B come from
//! differs:
//! - `storage`: both from storage buffers (`array<vec4<f32>>`), as every product in the library;
//! - `tex B`: B from an rgba32float texture (`textureLoad`, four values a texel), A as before;
//! - `tex A, B`: both from textures;
//! - `tex A, B + copy`: the same, with A copied from a buffer into its texture before each
//!   product, in the same submission (what a step would pay for activations).
//!
//! Why: Mesa 22.3's lavapipe turns a storage load whose address differs between invocations into
//! a loop over the lanes that inserts each element through the stack, and a texel fetch into a
//! gather without branches (BENCHMARKS.md, "Products"). Each form is checked against a CPU
//! product at a few entries; a mismatch is an error.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    if let Err(e) = native::run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::fmt::Write as _;
    use std::time::Instant;
    use webtune::gpu::Gpu;
    use wgpu::util::DeviceExt;

    #[derive(Clone, Copy, PartialEq)]
    enum Form {
        Storage,
        TexB,
        TexAB,
        TexABCopy,
    }

    impl Form {
        const ALL: [Form; 4] = [Form::Storage, Form::TexB, Form::TexAB, Form::TexABCopy];
        fn name(self) -> &'static str {
            match self {
                Form::Storage => "storage",
                Form::TexB => "tex B",
                Form::TexAB => "tex A, B",
                Form::TexABCopy => "tex A, B + copy",
            }
        }
    }

    struct Args {
        nn: bool,
        m: u32,
        n: u32,
        k: u32,
        lanes: Option<u32>,
        rows: Option<u32>,
        cols: Option<u32>,
        reps: usize,
        rounds: usize,
    }

    fn parse() -> Result<Args, String> {
        let mut a = Args {
            nn: false,
            m: 512,
            n: 3072,
            k: 768,
            lanes: None,
            rows: None,
            cols: None,
            reps: 3,
            rounds: 3,
        };
        let mut it = std::env::args().skip(1);
        while let Some(flag) = it.next() {
            if flag == "--bench" {
                continue; // cargo bench passes it
            }
            let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
            if flag == "--layout" {
                a.nn = match value.as_str() {
                    "nt" => false,
                    "nn" => true,
                    _ => return Err(format!("--layout: '{value}' is not nt or nn")),
                };
                continue;
            }
            let num = |v: &str| v.parse::<u32>().map_err(|_| format!("{flag}: '{v}' is not a number"));
            match flag.as_str() {
                "--m" => a.m = num(&value)?,
                "--n" => a.n = num(&value)?,
                "--k" => a.k = num(&value)?,
                "--lanes" => a.lanes = Some(num(&value)?),
                "--rows" => a.rows = Some(num(&value)?),
                "--cols" => a.cols = Some(num(&value)?),
                "--reps" => a.reps = num(&value)?.max(1) as usize,
                "--rounds" => a.rounds = num(&value)?.max(1) as usize,
                _ => {
                    return Err(format!(
                        "unknown flag {flag} (--layout --m --n --k --lanes --rows --cols --reps --rounds)"
                    ))
                }
            }
        }
        if a.lanes == Some(0) {
            return Err("--lanes must be positive".into());
        }
        if a.m == 0 || a.n == 0 || !a.n.is_multiple_of(4) || a.k == 0 || !a.k.is_multiple_of(64) {
            return Err("--m must be positive, --n a positive multiple of 4 and --k of 64".into());
        }
        Ok(a)
    }

    /// A `rows x cols` tile of C per workgroup of `lanes` invocations.
    #[derive(Clone, Copy)]
    struct Tile {
        lanes: u32,
        rows: u32,
        cols: u32,
    }

    /// The WGSL of one form.
    fn kernel(form: Form, nn: bool, tile: Tile) -> String {
        let Tile { lanes, rows, .. } = tile;
        let mut s = String::from(
            "struct P { m: u32, n: u32, k: u32, pad: u32 }\n\
             @group(0) @binding(0) var<uniform> p: P;\n\
             @group(0) @binding(1) var<storage, read> abuf: array<vec4<f32>>;\n\
             @group(0) @binding(2) var<storage, read> bbuf: array<vec4<f32>>;\n\
             @group(0) @binding(3) var<storage, read_write> c: array<f32>;\n\
             @group(0) @binding(4) var ta: texture_2d<f32>;\n\
             @group(0) @binding(5) var tb: texture_2d<f32>;\n",
        );
        let _ = writeln!(s, "@compute @workgroup_size({lanes})");
        let _ = writeln!(
            s,
            "fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {{"
        );
        let a_tex = matches!(form, Form::TexAB | Form::TexABCopy);
        let b_tex = form != Form::Storage;
        // Rows of A: each lane loads rows m0 + lane + lanes·i (clamped), vec4 i along k.
        for i in 0..rows / lanes {
            let row = format!("min(wg.y * {rows}u + lid.x + {}u, p.m - 1u)", lanes * i);
            let _ = match a_tex {
                true => writeln!(s, "let ar{i} = i32({row});"),
                false => writeln!(s, "let ar{i} = {row} * p.k / 4u;"),
            };
        }
        let load_a = |i: u32, k: &str| match a_tex {
            true => format!("let ra{i} = textureLoad(ta, vec2<i32>(i32({k}), ar{i}), 0);"),
            false => format!("let ra{i} = abuf[ar{i} + {k}];"),
        };
        if nn {
            nn_body(&mut s, b_tex, tile, load_a);
        } else {
            nt_body(&mut s, b_tex, tile, load_a);
        }
        s.push_str("}\n");
        s
    }

    /// C = A·Bᵀ: lane l owns columns n0 + l + lanes·j, B's rows, vec4 along k.
    fn nt_body(w: &mut String, b_tex: bool, tile: Tile, load_a: impl Fn(u32, &str) -> String) {
        let Tile { lanes, rows, cols } = tile;
        let per_lane = cols / lanes;
        let _ = writeln!(w, "let m0 = wg.y * {rows}u; let n0 = wg.x * {cols}u + lid.x;");
        for j in 0..per_lane {
            let col = format!("min(n0 + {}u, p.n - 1u)", lanes * j);
            let _ = match b_tex {
                true => writeln!(w, "let bc{j} = i32({col});"),
                false => writeln!(w, "let bc{j} = {col} * p.k / 4u;"),
            };
        }
        for r in 0..rows {
            for j in 0..per_lane {
                let _ = write!(w, "var c{r}_{j} = 0.0; ");
            }
        }
        let _ = writeln!(w, "\nfor (var k = 0u; k < p.k / 4u; k++) {{ let ki = i32(k);");
        for j in 0..per_lane {
            let _ = match b_tex {
                true => writeln!(w, "let b{j} = textureLoad(tb, vec2<i32>(ki, bc{j}), 0);"),
                false => writeln!(w, "let b{j} = bbuf[bc{j} + k];"),
            };
        }
        for i in 0..rows / lanes {
            let _ = writeln!(w, "{}", load_a(i, "k"));
        }
        for r in 0..rows {
            let _ = write!(w, "let x{r} = subgroupBroadcast(ra{}, {}u);", r / lanes, r % lanes);
            for j in 0..per_lane {
                let _ = write!(w, " c{r}_{j} += dot(x{r}, b{j});");
            }
            w.push('\n');
        }
        w.push_str("}\n");
        for r in 0..rows {
            for j in 0..per_lane {
                let _ = writeln!(
                    w,
                    "if (m0 + {r}u < p.m && n0 + {c}u < p.n) {{ c[(m0 + {r}u) * p.n + n0 + {c}u] = c{r}_{j}; }}",
                    c = lanes * j
                );
            }
        }
    }

    /// C = A·B: lane l owns the four columns n0 + 4l + 4·lanes·j, a vec4 of a row of B each.
    fn nn_body(w: &mut String, b_tex: bool, tile: Tile, load_a: impl Fn(u32, &str) -> String) {
        let Tile { lanes, rows, cols } = tile;
        let groups = cols / (4 * lanes);
        let _ = writeln!(w, "let m0 = wg.y * {rows}u; let n0 = wg.x * {cols}u + 4u * lid.x;");
        for j in 0..groups {
            let _ = writeln!(w, "let bc{j} = min(n0 + {}u, p.n - 4u) / 4u;", 4 * lanes * j);
        }
        for r in 0..rows {
            for j in 0..groups {
                let _ = write!(w, "var c{r}_{j} = vec4<f32>(); ");
            }
        }
        let _ = writeln!(w, "\nfor (var k = 0u; k < p.k / 4u; k++) {{");
        for i in 0..rows / lanes {
            let _ = writeln!(w, "{}", load_a(i, "k"));
        }
        for r in 0..rows {
            let _ = writeln!(w, "let x{r} = subgroupBroadcast(ra{}, {}u);", r / lanes, r % lanes);
        }
        for (kk, comp) in "xyzw".chars().enumerate() {
            for j in 0..groups {
                let _ = match b_tex {
                    true => writeln!(
                        w,
                        "let b{j}_{kk} = textureLoad(tb, vec2<i32>(i32(bc{j}), i32(4u * k + {kk}u)), 0);"
                    ),
                    false => writeln!(w, "let b{j}_{kk} = bbuf[(4u * k + {kk}u) * p.n / 4u + bc{j}];"),
                };
            }
            for r in 0..rows {
                for j in 0..groups {
                    let _ = write!(w, "c{r}_{j} += x{r}.{comp} * b{j}_{kk}; ");
                }
                w.push('\n');
            }
        }
        w.push_str("}\n");
        for r in 0..rows {
            for j in 0..groups {
                for (e, comp) in "xyzw".chars().enumerate() {
                    let _ = writeln!(
                        w,
                        "if (m0 + {r}u < p.m && n0 + {c}u < p.n) {{ c[(m0 + {r}u) * p.n + n0 + {c}u] = c{r}_{j}.{comp}; }}",
                        c = 4 * lanes * j + e as u32
                    );
                }
            }
        }
    }

    pub fn run() -> Result<(), String> {
        let args = parse()?;
        let gpu = pollster::block_on(Gpu::new(Default::default())).map_err(|e| e.to_string())?;
        let lanes = match args.lanes {
            Some(l) => l,
            None if gpu.has_subgroups_of(8) => 8,
            None if gpu.has_subgroups_of(4) => 4,
            None => return Err("this adapter has no subgroups of 4 or more lanes".into()),
        };
        if !gpu.has_subgroups_of(lanes) {
            return Err(format!("this adapter has no subgroups of {lanes} lanes"));
        }
        let rows = args.rows.unwrap_or(if lanes >= 8 { 64 } else { 32 });
        let cols = args.cols.unwrap_or(rows);
        if !(lanes..=256).contains(&rows) || !(lanes..=256).contains(&cols) {
            return Err(format!("--rows and --cols must be from the {lanes} lanes to 256"));
        }
        let col_step = if args.nn { 4 * lanes } else { lanes };
        if !rows.is_multiple_of(lanes) || !cols.is_multiple_of(col_step) {
            return Err(format!("--rows must be a multiple of the {lanes} lanes and --cols of {col_step}"));
        }
        let (m, n, k) = (args.m, args.n, args.k);
        let max_rows = gpu.limits.max_texture_dimension_2d;
        // B's texture: (N rows, K / 4 texels) for nt, (K rows, N / 4 texels) for nn.
        let (b_rows, b_texels) = if args.nn { (k, n / 4) } else { (n, k / 4) };
        if m.max(b_rows) > max_rows || b_texels.max(k / 4) > max_rows {
            return Err(format!("textures on this adapter hold at most {max_rows} rows and texels per row"));
        }
        let (d, q) = (&gpu.device, &gpu.queue);
        let a = webtune::bench::fill(m as usize * k as usize, 1);
        let b = webtune::bench::fill(n as usize * k as usize, 2);
        let usage = wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC | wgpu::BufferUsages::COPY_DST;
        let init = |data: &[u8], usage| {
            d.create_buffer_init(&wgpu::util::BufferInitDescriptor { label: None, contents: data, usage })
        };
        let a_buf = init(bytemuck::cast_slice(&a), usage);
        let b_buf = init(bytemuck::cast_slice(&b), usage);
        let p_buf = init(bytemuck::cast_slice(&[m, n, k, 0]), wgpu::BufferUsages::UNIFORM);
        let c_size = u64::from(m) * u64::from(n) * 4;
        let c_buf = d.create_buffer(&wgpu::BufferDescriptor {
            label: None,
            size: c_size,
            usage,
            mapped_at_creation: false,
        });
        let read = d.create_buffer(&wgpu::BufferDescriptor {
            label: None,
            size: c_size,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let texture = |width: u32, height: u32, data: &[f32]| {
            d.create_texture_with_data(
                q,
                &wgpu::TextureDescriptor {
                    label: None,
                    size: wgpu::Extent3d { width, height, depth_or_array_layers: 1 },
                    mip_level_count: 1,
                    sample_count: 1,
                    dimension: wgpu::TextureDimension::D2,
                    format: wgpu::TextureFormat::Rgba32Float,
                    usage: wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST,
                    view_formats: &[],
                },
                wgpu::util::TextureDataOrder::LayerMajor,
                bytemuck::cast_slice(data),
            )
        };
        let (ta, tb) = (texture(k / 4, m, &a), texture(b_texels, b_rows, &b));
        let (ta_view, tb_view) = (ta.create_view(&Default::default()), tb.create_view(&Default::default()));
        let entry = |binding, ty| wgpu::BindGroupLayoutEntry {
            binding,
            visibility: wgpu::ShaderStages::COMPUTE,
            ty,
            count: None,
        };
        let buffer = |ty| wgpu::BindingType::Buffer { ty, has_dynamic_offset: false, min_binding_size: None };
        let storage = |read_only| buffer(wgpu::BufferBindingType::Storage { read_only });
        let tex = wgpu::BindingType::Texture {
            sample_type: wgpu::TextureSampleType::Float { filterable: false },
            view_dimension: wgpu::TextureViewDimension::D2,
            multisampled: false,
        };
        let layout = d.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: None,
            entries: &[
                entry(0, buffer(wgpu::BufferBindingType::Uniform)),
                entry(1, storage(true)),
                entry(2, storage(true)),
                entry(3, storage(false)),
                entry(4, tex),
                entry(5, tex),
            ],
        });
        let group = d.create_bind_group(&wgpu::BindGroupDescriptor {
            label: None,
            layout: &layout,
            entries: &[
                wgpu::BindGroupEntry { binding: 0, resource: p_buf.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 1, resource: a_buf.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 2, resource: b_buf.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 3, resource: c_buf.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 4, resource: wgpu::BindingResource::TextureView(&ta_view) },
                wgpu::BindGroupEntry { binding: 5, resource: wgpu::BindingResource::TextureView(&tb_view) },
            ],
        });
        let pipeline_layout = d.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: None,
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let pipelines = Form::ALL.map(|form| {
            let module = d.create_shader_module(wgpu::ShaderModuleDescriptor {
                label: Some(form.name()),
                source: wgpu::ShaderSource::Wgsl(kernel(form, args.nn, Tile { lanes, rows, cols }).into()),
            });
            d.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                label: Some(form.name()),
                layout: Some(&pipeline_layout),
                module: &module,
                entry_point: Some("main"),
                compilation_options: Default::default(),
                cache: None,
            })
        });
        gpu.wait().map_err(|e| e.to_string())?;
        let reference = |i: u32, j: u32| -> f32 {
            let b_at = |kk: u32| if args.nn { b[(kk * n + j) as usize] } else { b[(j * k + kk) as usize] };
            (0..k).map(|kk| a[(i * k + kk) as usize] * b_at(kk)).sum()
        };
        let probes = [(0, 0), (m - 1, n - 1), (m / 3, n / 2), (m / 2, 1)];
        println!(
            "{} on {}, M {m} K {k} N {n}, a {rows} x {cols} tile per {lanes} lanes, median of {} (ms, GFLOP/s)",
            if args.nn { "C = A·B (nn)" } else { "C = A·Bᵀ (nt)" },
            gpu.report.name,
            args.reps
        );
        let flop = 2.0 * f64::from(m) * f64::from(n) * f64::from(k);
        for round in 1..=args.rounds {
            let mut line = format!("round {round}:");
            for (form, pipeline) in Form::ALL.iter().zip(&pipelines) {
                let mut times = Vec::with_capacity(args.reps);
                // C starts at zero for each form, so the check below reads this form's output,
                // not the previous form's.
                let mut enc = d.create_command_encoder(&Default::default());
                enc.clear_buffer(&c_buf, 0, None);
                q.submit([enc.finish()]);
                for _ in 0..args.reps {
                    let mut enc = d.create_command_encoder(&Default::default());
                    if *form == Form::TexABCopy {
                        enc.copy_buffer_to_texture(
                            wgpu::TexelCopyBufferInfo {
                                buffer: &a_buf,
                                layout: wgpu::TexelCopyBufferLayout {
                                    offset: 0,
                                    bytes_per_row: Some(k * 4),
                                    rows_per_image: None,
                                },
                            },
                            ta.as_image_copy(),
                            wgpu::Extent3d { width: k / 4, height: m, depth_or_array_layers: 1 },
                        );
                    }
                    {
                        let mut pass = enc.begin_compute_pass(&Default::default());
                        pass.set_pipeline(pipeline);
                        pass.set_bind_group(0, &group, &[]);
                        pass.dispatch_workgroups(n.div_ceil(cols), m.div_ceil(rows), 1);
                    }
                    let t = Instant::now();
                    q.submit([enc.finish()]);
                    gpu.wait().map_err(|e| e.to_string())?;
                    times.push(t.elapsed().as_secs_f64());
                }
                times.sort_by(f64::total_cmp);
                let median = times[times.len() / 2];
                let mut enc = d.create_command_encoder(&Default::default());
                enc.copy_buffer_to_buffer(&c_buf, 0, &read, 0, c_size);
                q.submit([enc.finish()]);
                read.slice(..).map_async(wgpu::MapMode::Read, |_| {});
                gpu.wait().map_err(|e| e.to_string())?;
                let got: Vec<f32> = {
                    let view = read.slice(..).get_mapped_range().map_err(|e| e.to_string())?;
                    bytemuck::cast_slice(&view).to_vec()
                };
                read.unmap();
                for &(i, j) in &probes {
                    let (g, want) = (got[(i * n + j) as usize], reference(i, j));
                    if (g - want).abs() > 1e-3 * want.abs().max(1.0) {
                        return Err(format!("{}: C[{i}, {j}] = {g}, the CPU says {want}", form.name()));
                    }
                }
                let _ = write!(line, "  {} {:.1} ms {:.2}", form.name(), median * 1e3, flop / median / 1e9);
            }
            println!("{line}");
        }
        Ok(())
    }
}
