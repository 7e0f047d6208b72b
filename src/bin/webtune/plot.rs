//! `webtune plot`: the loss curves of a run as a PNG, from the trainer_state.json that `webtune
//! train` writes into --out (a transformers Trainer's output folder works too).

use std::path::PathBuf;

use clap::Args;
use plotters::prelude::*;
use webtune::train::{load_trainer_state, TRAINER_STATE};

use crate::cli::{print_line, AnyResult};

#[derive(Args)]
pub struct PlotArgs {
    /// A training output folder holding trainer_state.json (webtune's --out, or a Trainer's output_dir)
    #[arg(long)]
    out: PathBuf,
    /// The PNG to write (default: loss.png in --out)
    #[arg(long)]
    png: Option<PathBuf>,
    /// Image width in pixels
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(200..=8000))]
    width: u32,
    /// Image height in pixels
    #[arg(long, default_value_t = 600, value_parser = clap::value_parser!(u32).range(150..=8000))]
    height: u32,
}

pub fn run(args: PlotArgs) -> AnyResult {
    let state = load_trainer_state(&args.out)?;
    let finite = |v: Vec<(u64, f64)>| -> Vec<(f64, f64)> {
        v.into_iter().filter(|(_, l)| l.is_finite()).map(|(s, l)| (s as f64, l)).collect()
    };
    let (train, eval) = (finite(state.train_losses()), finite(state.eval_losses()));
    if train.is_empty() && eval.is_empty() {
        return Err(format!("{}: no losses logged yet", args.out.join(TRAINER_STATE).display()).into());
    }
    let png = args.png.unwrap_or_else(|| args.out.join("loss.png"));
    if png.extension().is_none_or(|e| !e.eq_ignore_ascii_case("png")) {
        return Err(format!("--png {}: the file name must end in .png", png.display()).into());
    }
    let title = match train.last() {
        Some((step, loss)) => format!("{} steps · last training loss {loss:.4}", *step as u64),
        None => format!("{} evaluations", eval.len()),
    };
    draw(&png, (args.width, args.height), &title, &train, &eval)
        .map_err(|e| format!("{}: {e}", png.display()))?;
    print_line(&format!(
        "{}: {} training steps, {} evaluations plotted",
        png.display(),
        train.len(),
        eval.len()
    ))
}

fn draw(
    png: &std::path::Path,
    size: (u32, u32),
    title: &str,
    train: &[(f64, f64)],
    eval: &[(f64, f64)],
) -> Result<(), Box<dyn std::error::Error>> {
    // Text is drawn with DejaVu Sans from the binary: no system fonts needed.
    plotters::style::register_font("sans-serif", FontStyle::Normal, dejavu::sans::regular())
        .map_err(|_| "the embedded font did not load")?;
    let all = || train.iter().chain(eval);
    let (x_max, y_min, y_max) = all()
        .fold((1.0f64, f64::INFINITY, f64::NEG_INFINITY), |(x, lo, hi), &(s, l)| {
            (x.max(s), lo.min(l), hi.max(l))
        });
    let pad = ((y_max - y_min) * 0.05).max(1e-3);

    let root = BitMapBackend::new(png, size).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 20))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d(0f64..x_max, (y_min - pad)..(y_max + pad))?;
    chart
        .configure_mesh()
        .x_desc("step")
        .y_desc("loss")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .label_style(("sans-serif", 14))
        .draw()?;
    let (train_color, eval_color) = (RGBColor(31, 119, 180), RGBColor(255, 127, 14));
    if !train.is_empty() {
        chart
            .draw_series(LineSeries::new(train.iter().copied(), train_color.stroke_width(2)))?
            .label("training loss")
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], train_color.stroke_width(2)));
    }
    if !eval.is_empty() {
        chart.draw_series(LineSeries::new(eval.iter().copied(), eval_color.stroke_width(2)))?;
        chart
            .draw_series(eval.iter().map(|&p| Circle::new(p, 4, eval_color.filled())))?
            .label("eval loss")
            .legend(move |(x, y)| Circle::new((x + 10, y), 4, eval_color.filled()));
    }
    chart
        .configure_series_labels()
        .label_font(("sans-serif", 14))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(())
}
