//! `hoithi admin` runs the real binary against a fresh database (SQLite, or PostgreSQL when
//! HOITHI_TEST_DATABASE=postgres): the operator acts through the same services as the pages,
//! with the policy's site-administrator rights, and leaves audit records.

use std::path::Path;
use std::process::{Command, Output};

use hoithi_storage::Db;
use hoithi_storage::repo::{audit, grants, units, users};

fn postgres() -> bool {
    std::env::var("HOITHI_TEST_DATABASE").is_ok_and(|v| v == "postgres")
}

/// A fresh PostgreSQL database for this test, or `None` for SQLite in the data folder.
async fn database_url(tag: &str) -> Option<String> {
    if !postgres() {
        return None;
    }
    let admin = std::env::var("HOITHI_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let name = format!("hoithi_t_cli_{tag}_{}", std::process::id());
    let db = Db::connect(&admin).await.expect("PostgreSQL is reachable");
    use sea_orm::ConnectionTrait;
    db.conn
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
        .await
        .unwrap();
    db.conn
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap();
    Some(format!("{base}/{name}"))
}

struct Cli<'a> {
    data: &'a Path,
    url: Option<String>,
}

impl Cli<'_> {
    fn run(&self, args: &[&str], password: Option<&str>) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_hoithi"));
        cmd.args(args)
            .env("HOITHI_DATA", self.data)
            .env_remove("HOITHI_PASSWORD");
        match &self.url {
            Some(u) => cmd.env("HOITHI_DATABASE_URL", u),
            None => cmd.env_remove("HOITHI_DATABASE_URL"),
        };
        if let Some(p) = password {
            cmd.env("HOITHI_PASSWORD", p);
        }
        cmd.output().expect("the hoithi binary runs")
    }

    fn ok(&self, args: &[&str], password: Option<&str>) -> String {
        let out = self.run(args, password);
        assert!(
            out.status.success(),
            "hoithi {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn fails(&self, args: &[&str], password: Option<&str>) -> String {
        let out = self.run(args, password);
        assert!(!out.status.success(), "hoithi {args:?} should fail");
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    }

    async fn db(&self) -> Db {
        Db::open(self.data, self.url.as_deref()).await.unwrap()
    }
}

#[tokio::test]
async fn operator_imports_units_under_existing_parents_and_creates_users_through_the_services() {
    let dir = tempfile::tempdir().unwrap();
    let cli = Cli {
        data: dir.path(),
        url: database_url("import").await,
    };
    cli.ok(&["migrate"], None);

    // A whole tree from nothing: roots are the operator's to create.
    let first = dir.path().join("cay.csv");
    std::fs::write(
        &first,
        "ma,ten,loai,ma_cap_tren,so_nguoi\n\
         TQ,Tỉnh Tuyên Quang,province,,\n\
         TQ-HY,Huyện Hàm Yên,district,TQ,\n",
    )
    .unwrap();
    let out = cli.ok(&["admin", "import-units", first.to_str().unwrap()], None);
    assert!(out.contains("2 đơn vị mới"), "{out}");

    // The next file names only parents that are already in the database.
    let second = dir.path().join("xa.csv");
    std::fs::write(
        &second,
        "ma,ten,loai,ma_cap_tren,so_nguoi\n\
         HY-TANTHANH,Xã Tân Thành,commune,TQ-HY,1200\n\
         HY-PHUCNINH,Xã Phù Lưu,commune,TQ-HY,900\n",
    )
    .unwrap();
    let out = cli.ok(&["admin", "import-units", second.to_str().unwrap()], None);
    assert!(out.contains("2 đơn vị mới"), "{out}");
    let db = cli.db().await;
    let district = units::by_code(&db, "TQ-HY").await.unwrap().unwrap();
    let commune = units::by_code(&db, "HY-TANTHANH").await.unwrap().unwrap();
    assert_eq!(commune.parent_id, Some(district.id));
    assert!(district.path.contains(&commune.path));
    assert_eq!(commune.headcount, Some(1200));

    // A row under a parent that exists nowhere: the whole file is refused, row by row.
    let bad = dir.path().join("sai.csv");
    std::fs::write(
        &bad,
        "ma,ten,loai,ma_cap_tren,so_nguoi\nHY-X,Xã X,commune,KHONG-CO,\n",
    )
    .unwrap();
    let err = cli.fails(&["admin", "import-units", bad.to_str().unwrap()], None);
    assert!(err.contains("Dòng 2") && err.contains("KHONG-CO"), "{err}");
    assert!(units::by_code(&db, "HY-X").await.unwrap().is_none());

    // An administrator of the new commune, created through the users service.
    let out = cli.ok(
        &[
            "admin",
            "create-user",
            "--name",
            "Nguyễn Thị Hoà",
            "--email",
            "hoa@tanthanh.vn",
            "--unit",
            "HY-TANTHANH",
            "--role",
            "unit_admin",
        ],
        Some("mat-khau-du-dai-12"),
    );
    assert!(out.contains("Đã tạo người dùng"), "{out}");
    let user = users::find_by_login(&db, "hoa@tanthanh.vn")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.full_name, "Nguyễn Thị Hoà");
    assert_eq!(user.unit_id, Some(commune.id));
    let roles = grants::for_user(&db, user.id).await.unwrap();
    assert_eq!(roles.len(), 1);
    assert_eq!(roles[0].role, "unit_admin");
    assert_eq!(roles[0].unit_path.as_ref(), Some(&commune.path));
    let log = audit::for_resource(&db, "user", user.id).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].action, "user.create");
    assert_eq!(log[0].actor_id, None);
    assert!(log[0].detail.contains("operator:cli"), "{}", log[0].detail);

    // The same login twice, a weak password, an unknown unit: refused with a message, no row.
    let err = cli.fails(
        &[
            "admin",
            "create-user",
            "--name",
            "B",
            "--email",
            "hoa@tanthanh.vn",
        ],
        Some("mat-khau-du-dai-12"),
    );
    assert!(err.contains("đã được dùng"), "{err}");
    let err = cli.fails(
        &["admin", "create-user", "--name", "C", "--email", "c@x.vn"],
        Some("123"),
    );
    assert!(err.to_lowercase().contains("mật khẩu"), "{err}");
    let err = cli.fails(
        &[
            "admin",
            "create-user",
            "--name",
            "D",
            "--email",
            "d@x.vn",
            "--unit",
            "KHONG-CO",
        ],
        Some("mat-khau-du-dai-12"),
    );
    assert!(err.contains("KHONG-CO"), "{err}");
    for login in ["c@x.vn", "d@x.vn"] {
        assert!(users::find_by_login(&db, login).await.unwrap().is_none());
    }

    // A new password through the same service as the user pages, audited.
    let out = cli.ok(
        &["admin", "reset-password", "--login", "hoa@tanthanh.vn"],
        Some("mot-mat-khau-moi-34"),
    );
    assert!(out.contains("Đã đặt lại mật khẩu"), "{out}");
    let log = audit::for_resource(&db, "user", user.id).await.unwrap();
    assert_eq!(log.last().unwrap().action, "user.reset_password");
    let after = users::get(&db, user.id).await.unwrap();
    assert_ne!(after.password_hash, user.password_hash);
}
