//! `hoithi integrity scan`: copied passages among entries and against references.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context, anyhow};
use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum IntegrityCommand {
    /// Scan ENTRIES.jsonl (lines {"id": "...", "text": "..."}) for shared passages.
    Scan {
        entries: PathBuf,
        /// Published texts to check against (earlier years, articles).
        #[arg(long)]
        reference: Option<PathBuf>,
        /// Texts anyone may quote (resolutions, the contest prompt): not counted.
        #[arg(long)]
        allowed: Option<PathBuf>,
        /// Pairs with passages (JSONL); standard output when absent.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Overlap share per entry (JSONL).
        #[arg(long)]
        shares: Option<PathBuf>,
        /// Worker threads (0 = one per core).
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// Passages inside quotation marks do not count in the share (they are still
        /// reported, with their kind); by default they count, as most contest rules say.
        #[arg(long)]
        no_count_quotes: bool,
    },
    /// Queue a fresh copy check of every entry of a contest (the server's worker runs them).
    Recheck {
        #[command(flatten)]
        data: super::DataArgs,
        /// The contest's address (slug), e.g. chinh-luan-2026.
        #[arg(long)]
        contest: String,
    },
}

fn open(p: &PathBuf) -> anyhow::Result<BufReader<File>> {
    Ok(BufReader::new(File::open(p).with_context(|| {
        format!("không mở được {}", p.display())
    })?))
}

fn create(p: &Option<PathBuf>) -> anyhow::Result<Box<dyn Write>> {
    Ok(match p {
        Some(p) => Box::new(BufWriter::new(
            File::create(p).with_context(|| format!("không tạo được {}", p.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout())),
    })
}

pub async fn run(cmd: IntegrityCommand) -> anyhow::Result<()> {
    match cmd {
        IntegrityCommand::Recheck { data, contest } => {
            let state = hoithi_web::app::open_state(&data.config()).await?;
            let k = hoithi_storage::repo::contests::by_slug(&state.db, &contest)
                .await
                .map_err(|_| anyhow!("không có cuộc thi «{contest}»"))?;
            let n = hoithi_web::integrity::recheck_contest(&state, k.id)
                .await
                .map_err(|e| anyhow!(e))?;
            println!("Đã xếp hàng kiểm tra lại {n} tác phẩm; máy chủ sẽ xử lý trong nền.");
        }
        IntegrityCommand::Scan {
            entries,
            reference,
            allowed,
            out,
            shares,
            threads,
            no_count_quotes,
        } => {
            let opts = hoithi_integrity::ScanOptions {
                threads,
                count_quotes: !no_count_quotes,
                ..Default::default()
            };
            let reference = reference.as_ref().map(open).transpose()?;
            let allowed = allowed.as_ref().map(open).transpose()?;
            let shares_out: Box<dyn Write> = match &shares {
                Some(_) => create(&shares)?,
                None => Box::new(std::io::sink()),
            };
            let summary = hoithi_integrity::scan_jsonl(
                open(&entries)?,
                reference,
                allowed,
                create(&out)?,
                shares_out,
                std::io::stderr(),
                &opts,
            )
            .map_err(|e| anyhow!("{e}"))?;
            eprintln!(
                "Xong: {} bài, {} văn bản tham chiếu, {} cặp có đoạn trùng, {} dòng lỗi bị bỏ qua; mọi đoạn văn xuôi trùng từ {} âm tiết trở lên đều được tìm thấy.",
                summary.entries,
                summary.references,
                summary.pairs,
                summary.skipped_lines,
                summary.guaranteed_run
            );
        }
    }
    Ok(())
}
