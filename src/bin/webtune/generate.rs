//! `webtune generate`: prefill the prompt into a KV cache, then stream one token at a time.

use std::io::Write;

use clap::Args;
use webtune::generate::{fresh_seed, GenerateSettings, Generator, Stop};
use webtune::lora::load_adapter;
use webtune::tokenizer::TextStream;
use webtune::{Gpt2, Gpu, Requirements};

use crate::cli::{adapter_dir, AnyResult, ModelArgs};

#[derive(Args)]
pub struct GenerateArgs {
    #[command(flatten)]
    model: ModelArgs,
    /// LoRA adapter (PEFT's files): a folder or a Hub id, applied unmerged unless --merge
    #[arg(long)]
    adapter: Option<String>,
    /// Merge the adapter into the weights when loading (W + s·(B·A)ᵀ): no per-token LoRA cost
    #[arg(long, requires = "adapter")]
    merge: bool,
    /// The text to continue
    #[arg(long)]
    prompt: String,
    #[command(flatten)]
    settings: GenerateSettings,
    /// Print the generated token ids on one line instead of the text (prompt excluded)
    #[arg(long)]
    ids: bool,
}

/// Write to stdout; a closed stdout (`| head`) is Ok(false): the reader has what it wanted.
fn emit(out: &mut impl Write, text: &str) -> std::io::Result<bool> {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        r => r.map(|()| true),
    }
}

pub async fn run(args: GenerateArgs) -> AnyResult {
    let dir = args.model.dir()?;
    let config = dir.config()?;
    let cfg = args.settings.to_config(config.eos_token_id, fresh_seed)?;
    let tokenizer = dir.tokenizer()?;
    let prompt = tokenizer.encode(&args.prompt)?;
    let adapter = args.adapter.as_deref().map(|s| load_adapter(&adapter_dir(s)?, &config)).transpose()?;

    let gpu = Gpu::new(Requirements::default()).await?;
    let dtype = args.model.storage.dtype()?;
    let (model, lora) = match &adapter {
        Some(adapter) if args.merge => {
            let mut ck = dir.checkpoint(&config)?;
            adapter.merge_into(&mut ck)?;
            (Gpt2::from_checkpoint(&gpu, config.clone(), &ck, dtype).await?, None)
        }
        Some(adapter) => (dir.load(&gpu, dtype).await?, Some(adapter.upload(&gpu, &config).await?)),
        None => (dir.load(&gpu, dtype).await?, None),
    };
    let lora = lora.as_ref();

    let start = std::time::Instant::now();
    let mut generator = Generator::new(&gpu, &model, lora, &prompt, cfg).await?;
    let prefill = start.elapsed();
    let mut stream = TextStream::new(true);
    let mut out = std::io::stdout().lock();
    let mut first = true;
    while let Some(id) = generator.next_token(&gpu, &model, lora).await? {
        let piece = if args.ids {
            format!("{}{id}", if first { "" } else { " " })
        } else {
            stream.push(&tokenizer, id)?
        };
        first = false;
        if !emit(&mut out, &piece)? {
            return Ok(());
        }
    }
    let tail = if args.ids { String::new() } else { stream.finish() };
    if !emit(&mut out, &format!("{tail}\n"))? {
        return Ok(());
    }
    let n = generator.generated().len();
    let decode = start.elapsed() - prefill;
    let stop = generator.stop().expect("the loop ends when generation stops");
    if let Stop::ContextFull(_) = stop {
        eprintln!("stopped early: {stop} (the prompt and the text so far fill it; no sliding window)");
    }
    let sampling = cfg.sampling;
    let seed = if sampling.is_greedy() { String::new() } else { format!(", seed {}", sampling.seed) };
    eprintln!(
        "{} prompt tokens in {:.2} s, {n} generated ({stop}) at {:.1} tokens/s{seed}",
        prompt.len(),
        prefill.as_secs_f64(),
        n as f64 / decode.as_secs_f64().max(1e-9)
    );
    Ok(())
}
