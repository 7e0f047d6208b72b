//! The optimizer update of LoRA's parameters (shaders/optim.wgsl): per-tensor squared gradient
//! norms, per-tensor counts of updated values that would not be finite, then the clipped AdamW
//! or SGD update of every tensor (skipped whole when the norm or any count says so), as
//! torch.optim does it.

use super::{grid64, u32_of};
use crate::gpu::{Access, Gpu, GpuError, Kernel, Result, Shader, Tensor};

pub static SHADER: Shader =
    Shader { name: "optim.wgsl", source: include_str!("../../shaders/optim.wgsl"), defines: &[] };

const STORAGE: &[Access] =
    &[Access::ReadWrite, Access::Read, Access::ReadWrite, Access::ReadWrite, Access::ReadWrite];
static SUMSQ: Kernel = Kernel::new::<Params>(&SHADER, "grad_sumsq", STORAGE);
static CHECK: Kernel = Kernel::new::<Params>(&SHADER, "update_check", STORAGE);
static UPDATE: Kernel = Kernel::new::<Params>(&SHADER, "optim_update", STORAGE);

pub(crate) static KERNELS: [&Kernel; 3] = [&SUMSQ, &CHECK, &UPDATE];

crate::uniform_struct! {
    struct Params {
        n: u32,
        n_norms: u32,
        slot: u32,
        mode: u32,
        lr: f32,
        beta1: f32,
        beta2: f32,
        eps: f32,
        weight_decay: f32,
        bc1: f32,
        bc2_sqrt: f32,
        max_norm: f32,
    }
}

/// The update rule of one step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum UpdateRule {
    /// torch.optim.AdamW at 1-based step `step` (for the bias corrections).
    AdamW { beta1: f32, beta2: f32, eps: f32, step: u64 },
    /// torch.optim.SGD without momentum.
    Sgd,
}

/// One step's hyper-parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UpdateStep {
    pub rule: UpdateRule,
    pub lr: f32,
    pub weight_decay: f32,
    /// Clip the global gradient norm to this (0: off).
    pub max_norm: f32,
}

/// Record one optimizer step over `params` ((parameter, gradient) pairs) with their `moments`
/// (AdamW's (m, v), unused by SGD) into `pass`: every tensor's squared gradient norm into its
/// slot of `norms`, then into slot `params.len() + slot` how many of its updated values would
/// not be finite (`norms` has at least two slots per tensor), then every clipped update: none is
/// made when the global norm is not finite or any count is not zero.
pub fn encode_optim_step(
    gpu: &Gpu,
    pass: &mut wgpu::ComputePass<'_>,
    params: &[(&Tensor, &Tensor)],
    moments: &[(Tensor, Tensor)],
    norms: &Tensor,
    step: UpdateStep,
) -> Result<()> {
    if params.len() != moments.len() || norms.numel() < 2 * params.len() {
        return Err(GpuError::Shape(format!(
            "optimizer: {} tensors, {} moment pairs, {} norm slots",
            params.len(),
            moments.len(),
            norms.numel()
        )));
    }
    let (mode, beta1, beta2, eps, bc1, bc2_sqrt) = match step.rule {
        UpdateRule::AdamW { beta1, beta2, eps, step } => {
            let t = i32::try_from(step).unwrap_or(i32::MAX);
            (0, beta1, beta2, eps, 1.0 - (beta1 as f64).powi(t), (1.0 - (beta2 as f64).powi(t)).sqrt())
        }
        UpdateRule::Sgd => (1, 0.0, 0.0, 0.0, 1.0, 1.0),
    };
    let n_norms = u32_of(params.len(), "tensors")?;
    for (per_tensor, kernel) in [(true, &SUMSQ), (true, &CHECK), (false, &UPDATE)] {
        for (slot, ((p, g), (m, v))) in params.iter().zip(moments).enumerate() {
            let n = p.numel();
            if g.shape != p.shape || m.shape != p.shape || v.shape != p.shape {
                return Err(GpuError::Shape(format!(
                    "optimizer: '{}' and its gradient or moments differ in shape",
                    p.label
                )));
            }
            let uniform = Params {
                n: u32_of(n, "elements")?,
                n_norms,
                slot: slot as u32,
                mode,
                lr: step.lr,
                beta1,
                beta2,
                eps,
                weight_decay: step.weight_decay,
                bc1: bc1 as f32,
                bc2_sqrt: bc2_sqrt as f32,
                max_norm: step.max_norm,
            };
            let groups = if per_tensor { [1, 1, 1] } else { grid64(n) };
            let bindings = [p.binding(), g.binding(), m.binding(), v.binding(), norms.binding()];
            gpu.dispatch(pass, kernel, &uniform, &bindings, groups)?;
        }
    }
    Ok(())
}
