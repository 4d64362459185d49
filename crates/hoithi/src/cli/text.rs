//! `hoithi text extract FILE` and `hoithi text normalize`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, anyhow};
use clap::Subcommand;
use hoithi_text::normalize::{LegacyMode, Options};

#[derive(Subcommand, Debug)]
pub enum TextCommand {
    /// Print the normalized text of a document (DOCX, ODT, PDF, RTF, TXT, HTML).
    Extract {
        file: PathBuf,
        /// Tone-mark placement: new (hoà, thuý) or old (hòa, thúy).
        #[arg(long, default_value = "new")]
        tone_style: String,
        /// Print JSON: format, legacy encoding, counts, spelling hints and the text.
        #[arg(long)]
        json: bool,
    },
    /// Normalize plain text from standard input to standard output (legacy encodings repaired).
    Normalize {
        #[arg(long, default_value = "new")]
        tone_style: String,
    },
}

fn options(tone: &str) -> anyhow::Result<Options> {
    let tone_style = hoithi_text::cli::parse_tone_style(tone)
        .ok_or_else(|| anyhow!("--tone-style phải là new hoặc old"))?;
    Ok(Options {
        tone_style,
        legacy: LegacyMode::Auto,
    })
}

pub fn run(cmd: TextCommand) -> anyhow::Result<()> {
    match cmd {
        TextCommand::Extract {
            file,
            tone_style,
            json,
        } => {
            let opts = options(&tone_style)?;
            let bytes = std::fs::read(&file)
                .with_context(|| format!("không đọc được {}", file.display()))?;
            let name = file.file_name().map(|n| n.to_string_lossy().to_string());
            let doc = hoithi_extract::extract(
                &bytes,
                name.as_deref(),
                &hoithi_extract::Limits::default(),
            )
            .map_err(|e| anyhow!("{e}"))?;
            // Extraction normalizes in the default style; apply the requested one.
            let text = hoithi_text::normalize::normalize_with(
                &doc.text(),
                &Options {
                    legacy: LegacyMode::Off,
                    ..opts
                },
            );
            let mut out = std::io::stdout().lock();
            if json {
                let flags: Vec<_> = hoithi_text::spell::check(&text)
                    .into_iter()
                    .map(|f| serde_json::json!({"syllable": f.syllable, "start": f.range.start, "end": f.range.end, "suggestions": f.suggestions}))
                    .collect();
                let v = serde_json::json!({
                    "file": file.display().to_string(),
                    "format": format!("{:?}", doc.format).to_lowercase(),
                    "legacy_encoding": doc.legacy.map(|l| format!("{l:?}")),
                    "repaired_runs": doc.repaired_runs,
                    "fonts": doc.fonts,
                    "paragraphs": doc.paragraphs.len(),
                    "syllables": hoithi_text::tokenize::syllable_count(&text),
                    "words": hoithi_text::tokenize::word_count(&text),
                    "spelling": flags,
                    "text": text,
                });
                writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
            } else {
                writeln!(out, "{text}")?;
            }
        }
        TextCommand::Normalize { tone_style } => {
            let opts = options(&tone_style)?;
            let stdin = std::io::stdin();
            hoithi_text::cli::normalize_stream(stdin.lock(), std::io::stdout().lock(), &opts)
                .map_err(|e| anyhow!("{e}"))?;
        }
    }
    Ok(())
}
