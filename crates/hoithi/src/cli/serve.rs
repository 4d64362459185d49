use std::net::SocketAddr;

use clap::Args;

use super::DataArgs;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "HOITHI_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    #[command(flatten)]
    pub data: DataArgs,
    /// Load the demo data set into an empty database and print the demo accounts.
    #[arg(long, env = "HOITHI_DEMO")]
    pub demo: bool,
    /// Mark cookies Secure (when served over HTTPS).
    #[arg(long, env = "HOITHI_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Do not run the background job worker in this instance.
    #[arg(long, env = "HOITHI_NO_WORKER")]
    pub no_worker: bool,
    /// Background jobs run at the same time (receipts, search updates, copy checks).
    #[arg(long, env = "HOITHI_WORKERS", default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub workers: u16,
    /// The address people reach this site at, for links in messages (e.g. https://hoithi.example.vn).
    #[arg(long, env = "HOITHI_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Mail server for messages, e.g. smtps://user:password@mail.example.vn or smtp://127.0.0.1:25
    /// (without one, messages are written to <data>/outbox).
    #[arg(long, env = "HOITHI_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// Sender of messages, e.g. "Ban tổ chức <no-reply@example.vn>".
    #[arg(long, env = "HOITHI_MAIL_FROM")]
    pub mail_from: Option<String>,
    /// Logs as JSON lines.
    #[arg(long, env = "HOITHI_LOG_JSON")]
    pub log_json: bool,
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing requests in flight");
}

pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    super::init_logs(args.log_json);
    let mut config = args.data.config();
    config.addr = args.addr;
    config.demo = args.demo;
    config.secure_cookies = args.secure_cookies;
    config.run_worker = !args.no_worker;
    config.workers = usize::from(args.workers);
    if let Some(u) = args.public_url {
        config.public_url = u.trim_end_matches('/').to_string();
    } else {
        config.public_url = format!("http://{}", args.addr);
    }
    config.smtp_url = args.smtp_url;
    if let Some(f) = args.mail_from {
        config.mail_from = f;
    }
    let app = hoithi_web::Application::build(config).await?;
    if args.demo {
        println!("Tài khoản demo (demo accounts):");
        for a in hoithi_web::demo::ACCOUNTS {
            println!("  {:<32} mật khẩu: {:<16} {}", a.login, a.password, a.role);
        }
    }
    println!(
        "hoithi đang chạy tại http://{}:{}/ (dữ liệu: {})",
        args.addr.ip(),
        app.port(),
        args.data
            .database_url
            .as_deref()
            .map(|_| "PostgreSQL".to_string())
            .unwrap_or_else(|| args.data.data.display().to_string())
    );
    app.run_until_stopped(shutdown_signal()).await?;
    Ok(())
}
