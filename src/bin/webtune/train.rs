//! `webtune train`: fine-tune a LoRA adapter as PEFT + the transformers Trainer do, writing
//! PEFT's files (and the optimizer state, for --resume) into --out.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use webtune::data::Dataset;
use webtune::lora::{load_adapter, Adapter, LoraConfig, LoraSettings};
use webtune::model::{memory, Gpt2Config};
use webtune::optim::Optimizer;
use webtune::train::{
    self, load_checkpoint, load_trainer_state, save_checkpoint, save_trainer_state, Event, LogPlan, OutLock,
    TrainSettings, TrainerState,
};
use webtune::{Error, Gpu, Requirements};

use crate::cli::{adapter_dir, print_line, read_text, AnyResult, ModelArgs};

#[derive(Args)]
pub struct TrainArgs {
    #[command(flatten)]
    model: ModelArgs,
    /// Training data: .txt, or .jsonl with a "text" field per line
    #[arg(long)]
    data: PathBuf,
    /// Output folder: adapter_config.json, adapter_model.safetensors, training_state.safetensors,
    /// trainer_state.json (the transformers Trainer's log: `webtune plot` draws it)
    #[arg(long)]
    out: PathBuf,
    #[command(flatten, next_help_heading = "LoRA")]
    lora: LoraSettings,
    /// Start from an existing PEFT adapter (a folder or a Hub id); its adapter_config.json gives
    /// the LoRA config
    #[arg(long, conflicts_with = "resume", help_heading = "LoRA")]
    init_adapter: Option<String>,
    #[command(flatten, next_help_heading = "Training")]
    train: TrainSettings,
    /// Pack the token stream into blocks (the default; the opposite of --lines)
    #[arg(long = "pack", conflicts_with = "packing", help_heading = "Training")]
    _pack: bool,
    /// Shuffle each epoch with the seed (the default; the opposite of --no-shuffle)
    #[arg(long = "shuffle", conflicts_with = "shuffle", help_heading = "Training")]
    _shuffle: bool,
    /// Held-out data (same format) evaluated every --eval-every steps and at the end
    #[arg(long, help_heading = "Evaluation and checkpoints")]
    eval_data: Option<PathBuf>,
    /// Write a resumable checkpoint into --out every this many steps (0 = only at the end)
    #[arg(long, default_value_t = 0, help_heading = "Evaluation and checkpoints")]
    save_every: u64,
    /// Continue the run whose checkpoint is in --out, up to the new --steps/--epochs total
    #[arg(long, help_heading = "Evaluation and checkpoints")]
    resume: bool,
}

pub async fn run(args: TrainArgs) -> AnyResult {
    let dir = args.model.dir()?;
    let config = dir.config()?;
    let cfg = args.train.to_config(&config)?;
    let fresh = args.lora.to_config(&config, &args.model.model)?;
    let tokenizer = dir.tokenizer()?;
    let seq_len = args.train.seq_len;
    let load_data = |path: &Path| -> Result<Dataset, Error> {
        let jsonl = path.extension().is_some_and(|e| e == "jsonl");
        Dataset::build(&tokenizer, &read_text(path)?, jsonl, args.train.packing, seq_len)
            .map_err(|e| Error::data(format!("{}: {e}", path.display())))
    };
    let data = load_data(&args.data)?;
    let eval = args.eval_data.as_deref().map(load_data).transpose()?;

    // The adapter: resumed from --out, started from --init-adapter, or fresh.
    let dtype = args.model.storage.dtype()?;
    let (mut adapter, resume_state) = if args.resume {
        let (a, step, state) = load_checkpoint(&args.out, &config)?;
        same_lora(&a.config, &fresh, &config).map_err(|d| {
            format!(
                "the checkpoint in {} was trained with {d}: pass the LoRA flags it was started with to resume it",
                args.out.display()
            )
        })?;
        (a, Some((step, state)))
    } else if let Some(init) = &args.init_adapter {
        (load_adapter(&adapter_dir(init)?, &config)?, None)
    } else {
        if args.out.join("adapter_model.safetensors").exists() {
            return Err(format!(
                "{} already holds an adapter: pass --resume to continue it, or choose another --out",
                args.out.display()
            )
            .into());
        }
        (Adapter::init(fresh, &config, args.train.seed)?, None)
    };

    // Its adapter_config.json says which kind of base it trains on, as PEFT's does.
    adapter.config.fan_in_fan_out = dtype.matrices.q4().is_none();

    // From here on this run owns --out: a second run on it is refused until this one ends.
    let _lock = OutLock::acquire(&args.out)?;

    let gpu = Gpu::new(Requirements::default()).await?;
    // A run past the adapter's limits is refused now, before the weights are uploaded.
    let trainable = adapter.num_parameters();
    let batch = cfg.batch.min(data.len().max(1));
    memory::training(&config, dtype, (batch, seq_len, adapter.config.r), cfg.recompute, trainable)
        .check_limits(&gpu, &format!("training {batch} x {seq_len} tokens a micro-batch"))?;
    let model = dir.load(&gpu, dtype).await?;
    let lora = &adapter.upload(&gpu, &config).await?;
    let all = config.num_parameters() + trainable as u64;
    print_line(&format!(
        "trainable params: {} || all params: {} || trainable%: {:.4}",
        thousands(trainable as u64),
        thousands(all),
        100.0 * trainable as f64 / all as f64
    ))?;

    let plan = train::Plan::new(&cfg, &data)?;
    let mut opt = Optimizer::new(&gpu, lora, cfg.optimizer, cfg.weight_decay, cfg.clip).await?;
    if let Some((step, state)) = &resume_state {
        opt.load_state(&gpu, *step, state)?;
        if *step >= plan.total {
            return Err(format!(
                "the checkpoint in {} is at step {step}, already at the total {}",
                args.out.display(),
                plan.total
            )
            .into());
        }
    }
    print_line(&format!(
        "{} blocks of {seq_len} tokens, {} steps ({} per epoch), warmup {}, from step {}",
        data.len(),
        plan.total,
        plan.steps_per_epoch,
        plan.warmup,
        opt.step
    ))?;

    // trainer_state.json, as the transformers Trainer keeps it: every step, every evaluation, and
    // a closing summary, written with each checkpoint. A resumed run keeps the log up to its step.
    let log_plan = LogPlan {
        max_steps: plan.total,
        steps_per_epoch: plan.steps_per_epoch,
        batch: cfg.batch as u64,
        eval_every: cfg.eval_every,
        save_every: args.save_every,
    };
    let log = RefCell::new(match (&resume_state, load_trainer_state(&args.out)) {
        (Some((step, _)), Ok(previous)) => TrainerState::resumed(previous, log_plan, *step),
        (Some(_), Err(e)) => {
            print_line(&format!("note: the log starts again from here ({e})"))?;
            TrainerState::resumed(TrainerState::default(), log_plan, opt.step)
        }
        (None, _) => TrainerState::new(log_plan),
    });
    let (first_step, started) = (opt.step, std::time::Instant::now());

    let bar = ProgressBar::new(plan.total).with_style(
        ProgressStyle::with_template("train {bar:30} {pos}/{len} {msg} ({elapsed}, ETA {eta})")
            .expect("static template"),
    );
    bar.set_position(opt.step);
    let checkpoint = |opt: &Optimizer| -> Result<(), Error> {
        let adapter = pollster::block_on(Adapter::download(&gpu, lora, &adapter.config))?;
        let state = pollster::block_on(opt.state(&gpu))?;
        // The log first: a crash between the two leaves a log ahead of the checkpoint, which a
        // resumed run cuts back to the checkpoint's step.
        save_trainer_state(&args.out, &log.borrow())?;
        save_checkpoint(&args.out, &adapter, opt.step, &state)
    };
    let on_event = |e: &Event| match e {
        Event::Step(r) => {
            log.borrow_mut().record_step(r, plan.steps_per_epoch);
            bar.set_position(r.step);
            let tps = r.tokens as f64 / r.elapsed.as_secs_f64().max(1e-9);
            let (loss, lr, norm) = (r.loss.mean(), r.lr, r.grad_norm);
            bar.set_message(format!("loss {loss:.4} lr {lr:.2e} |g| {norm:.3} {tps:.0} tok/s"));
        }
        Event::Eval { step, loss } => {
            log.borrow_mut().record_eval(*step, *loss, plan.steps_per_epoch);
            let _ = bar.suspend(|| print_line(&format!("step {step}: eval loss {loss:.6}")));
        }
    };
    let run = train::Run { gpu: &gpu, model: &model, lora, cfg: &cfg, data: &data, eval: eval.as_ref() };
    let result = run.train(&mut opt, args.save_every, on_event, checkpoint).await;
    bar.finish_and_clear();
    let last = result?;
    {
        let mut log = log.borrow_mut();
        let samples = log.session_tokens() / seq_len as u64;
        log.record_end(started.elapsed().as_secs_f64(), opt.step - first_step, samples);
    }
    checkpoint(&opt)?;
    print_line(&format!(
        "step {} loss {:.6}; adapter written to {}",
        opt.step,
        last.mean(),
        args.out.display()
    ))
}

/// 294912 -> "294,912", as PEFT prints counts.
fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The first LoRA setting in which a checkpoint (`saved`) and this run's flags (`asked`) differ,
/// as "r 8; this run asks for r 4" (the initialisation aside: a resumed run does not use it).
fn same_lora(saved: &LoraConfig, asked: &LoraConfig, model: &Gpt2Config) -> Result<(), String> {
    let differ = |what: &str, a: String, b: String| Err(format!("{what} {a}; this run asks for {what} {b}"));
    if saved.r != asked.r {
        return differ("r", saved.r.to_string(), asked.r.to_string());
    }
    if saved.alpha != asked.alpha {
        return differ("alpha", saved.alpha.to_string(), asked.alpha.to_string());
    }
    if saved.dropout != asked.dropout {
        return differ("dropout", saved.dropout.to_string(), asked.dropout.to_string());
    }
    if saved.use_rslora != asked.use_rslora {
        return differ("rslora", saved.use_rslora.to_string(), asked.use_rslora.to_string());
    }
    if saved.targets(model).ok() != asked.targets(model).ok() {
        return differ(
            "targets",
            format!("{:?} (layers {:?})", saved.target_modules, saved.layers_to_transform),
            format!("{:?} (layers {:?})", asked.target_modules, asked.layers_to_transform),
        );
    }
    Ok(())
}
