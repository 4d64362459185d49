//! Command-line interface: `serve`, `migrate`, `admin …`, and the module commands.

mod admin;
mod integrity;
mod serve;
mod text;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "hoithi",
    version,
    about = "Hội thi: lớp bồi dưỡng, cuộc thi, chấm thi, kiểm tra trùng lặp và tin bài"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Where the data lives; shared by every command that touches the database.
#[derive(Args, Debug, Clone)]
pub struct DataArgs {
    /// Data folder: the SQLite file, uploaded files, the outbox.
    #[arg(long, env = "HOITHI_DATA", default_value = "./hoithi-data")]
    pub data: PathBuf,
    /// Database URL (postgres://…); without it, SQLite in the data folder.
    #[arg(long, env = "HOITHI_DATABASE_URL")]
    pub database_url: Option<String>,
}

impl DataArgs {
    pub fn config(&self) -> hoithi_web::Config {
        let mut c = hoithi_web::Config::for_data_dir(&self.data);
        c.database_url = self.database_url.clone();
        c
    }
}

#[derive(Subcommand, Debug)]
pub enum SearchCommand {
    /// Rebuild the search index from the database (run while the server is stopped).
    Rebuild {
        #[command(flatten)]
        data: DataArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web server.
    Serve(serve::ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate {
        #[command(flatten)]
        data: DataArgs,
    },
    /// Administration: users, passwords, units, backups.
    Admin {
        #[command(subcommand)]
        command: admin::AdminCommand,
    },
    /// Vietnamese text: extract documents, normalize text.
    Text {
        #[command(subcommand)]
        command: text::TextCommand,
    },
    /// Full-text search index.
    Search {
        #[command(subcommand)]
        command: SearchCommand,
    },
    /// Copy detection.
    Integrity {
        #[command(subcommand)]
        command: integrity::IntegrityCommand,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => serve::run(args).await,
        Command::Migrate { data } => {
            init_logs(false);
            let state = hoithi_web::app::open_state(&data.config()).await?;
            println!("Đã cập nhật cơ sở dữ liệu ({:?}).", state.db.backend);
            Ok(())
        }
        Command::Admin { command } => admin::run(command).await,
        Command::Text { command } => text::run(command),
        Command::Search {
            command: SearchCommand::Rebuild { data },
        } => {
            init_logs(false);
            let state = hoithi_web::app::open_state(&data.config()).await?;
            let n = hoithi_web::search::rebuild(&state)
                .await
                .map_err(|e| anyhow::anyhow!(e))?;
            println!(
                "Đã dựng lại chỉ mục tìm kiếm: {n} tài liệu (tác phẩm dự thi, tin bài, lớp bồi dưỡng, tài liệu lớp học)."
            );
            Ok(())
        }
        Command::Integrity { command } => integrity::run(command).await,
    }
}

pub fn init_logs(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("HOITHI_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
