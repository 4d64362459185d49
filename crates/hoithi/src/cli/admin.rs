use std::io::Read;
use std::path::PathBuf;

use anyhow::{Context, anyhow, bail};
use clap::Subcommand;
use hoithi_storage::repo::{units, users};
use hoithi_web::policy::{Actor, Role};
use hoithi_web::users::service::UserInput;

use super::DataArgs;

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Create a user. The password comes from HOITHI_PASSWORD or, if unset, standard input.
    CreateUser {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        /// Code of the user's unit.
        #[arg(long)]
        unit: Option<String>,
        /// site_admin, unit_admin (scoped to --unit) or none.
        #[arg(long, default_value = "none")]
        role: String,
    },
    /// Set a new password (from HOITHI_PASSWORD or standard input) and sign the user out everywhere.
    ResetPassword {
        #[command(flatten)]
        data: DataArgs,
        /// Email or phone number.
        #[arg(long)]
        login: String,
    },
    /// Import units from a CSV or XLSX file (code, name, kind, parent_code, headcount).
    ImportUnits {
        #[command(flatten)]
        data: DataArgs,
        file: PathBuf,
    },
    /// Write a consistent copy of the SQLite database, also while the server runs.
    Backup {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        out: PathBuf,
    },
}

fn read_password() -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("HOITHI_PASSWORD") {
        return Ok(p);
    }
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .context("reading the password from standard input")?;
    Ok(s.trim_end_matches(['\n', '\r']).to_string())
}

/// Whoever runs `hoithi admin` on the server owns it: the commands act as a named operator with
/// a site administrator's rights, through the same services as the pages, and leave the same
/// audit records.
fn operator() -> Actor {
    Actor::operator("cli")
}

fn user_message(e: hoithi_web::error::AppError) -> anyhow::Error {
    anyhow!("{}", e.message().vi)
}

pub async fn run(cmd: AdminCommand) -> anyhow::Result<()> {
    super::init_logs(false);
    match cmd {
        AdminCommand::CreateUser {
            data,
            name,
            email,
            phone,
            unit,
            role,
        } => {
            let state = hoithi_web::app::open_state(&data.config()).await?;
            let password = read_password()?;
            let unit_id = match unit {
                Some(code) => Some(
                    units::by_code(&state.db, &code)
                        .await?
                        .ok_or_else(|| anyhow!("không có đơn vị mã «{code}»"))?
                        .id,
                ),
                None => None,
            };
            let role = match role.as_str() {
                "none" | "" => None,
                r => Some(
                    Role::parse(r)
                        .ok_or_else(|| {
                            anyhow!("vai trò không hợp lệ: {r} (site_admin, unit_admin, none)")
                        })?
                        .as_str()
                        .to_string(),
                ),
            };
            let input = UserInput {
                full_name: name,
                email,
                phone,
                unit_id,
                password: Some(password),
                role,
                is_active: None,
            };
            let user = hoithi_web::users::service::create(&state, &operator(), input)
                .await
                .map_err(user_message)?;
            println!("Đã tạo người dùng #{} ({}).", user.id, user.full_name);
        }
        AdminCommand::ResetPassword { data, login } => {
            let state = hoithi_web::app::open_state(&data.config()).await?;
            let key = hoithi_web::validate::login(&login)
                .ok_or_else(|| anyhow!("email hoặc số điện thoại không hợp lệ"))?;
            let user = users::find_by_login(&state.db, &key)
                .await?
                .ok_or_else(|| anyhow!("không có tài khoản «{login}»"))?;
            let pw = read_password()?;
            hoithi_web::users::service::reset_password(&state, &operator(), user.id, &pw)
                .await
                .map_err(user_message)?;
            println!(
                "Đã đặt lại mật khẩu cho {} và đăng xuất mọi phiên của người này.",
                user.full_name
            );
        }
        AdminCommand::ImportUnits { data, file } => {
            let state = hoithi_web::app::open_state(&data.config()).await?;
            let bytes = std::fs::read(&file)
                .with_context(|| format!("không đọc được tệp {}", file.display()))?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            match hoithi_web::units::import::run(&state, &operator(), &bytes, &name)
                .await
                .map_err(user_message)?
            {
                Ok(o) => println!("Đã nhập: {} đơn vị mới, {} cập nhật.", o.created, o.updated),
                Err(errors) => {
                    for e in &errors {
                        eprintln!("Dòng {}: {}", e.row, e.message);
                    }
                    bail!("tệp có {} lỗi; chưa nhập dòng nào", errors.len());
                }
            }
        }
        AdminCommand::Backup { data, out } => {
            let state = hoithi_web::app::open_state(&data.config()).await?;
            let size = hoithi_storage::backup::backup_sqlite(&state.db, &out)
                .await
                .map_err(|e| anyhow!("{e}"))?;
            println!("Đã sao lưu vào {} ({} byte).", out.display(), size);
        }
    }
    Ok(())
}
