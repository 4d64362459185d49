//! The demo data set, modeled on the story in DESIGN.md: Tuyên Quang province, Hàm Yên
//! district with its communes and agencies, and one account for each role.

use hoithi_storage::repo::{grants, units, users};

use crate::app::anyhow_like::{Error, Result};
use crate::auth::password;
use crate::policy::Role;
use crate::state::AppState;

/// One demo account: who it is, how to sign in.
pub struct DemoAccount {
    pub role: &'static str,
    pub login: &'static str,
    pub password: &'static str,
    pub name: &'static str,
}

pub const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        role: "Quản trị hệ thống (site administrator)",
        login: "admin@hoithi.demo",
        password: "demo-quantri",
        name: "Nguyễn Văn Quản",
    },
    DemoAccount {
        role: "Quản trị đơn vị huyện Hàm Yên (unit administrator, district)",
        login: "tuyengiao.hamyen@hoithi.demo",
        password: "demo-hamyen",
        name: "Hoàng Thị Thu Hà",
    },
    DemoAccount {
        role: "Quản trị đơn vị xã Thái Sơn (unit administrator, commune)",
        login: "thaison@hoithi.demo",
        password: "demo-thaison",
        name: "Lý Văn Sơn",
    },
    DemoAccount {
        role: "Ban tổ chức (organizer; contests arrive with the contests module)",
        login: "bantochuc@hoithi.demo",
        password: "demo-bantochuc",
        name: "Trần Minh Đức",
    },
    DemoAccount {
        role: "Giám khảo (judge; rounds arrive with the judging module)",
        login: "giamkhao@hoithi.demo",
        password: "demo-giamkhao",
        name: "Phạm Thị Lan",
    },
    DemoAccount {
        role: "Người dự thi (participant)",
        login: "0912345678",
        password: "demo-duthi",
        name: "Ma Thị Hoa",
    },
];

const COMMUNES: &[(&str, &str, i32)] = &[
    ("HY-TANYEN", "Thị trấn Tân Yên", 2450),
    ("HY-THAISON", "Xã Thái Sơn", 1320),
    ("HY-THAIHOA", "Xã Thái Hòa", 1180),
    ("HY-DUCNINH", "Xã Đức Ninh", 1050),
    ("HY-BANGCOC", "Xã Bằng Cốc", 760),
    ("HY-NHANMUC", "Xã Nhân Mục", 690),
    ("HY-YENTHUAN", "Xã Yên Thuận", 980),
    ("HY-MINHDAN", "Xã Minh Dân", 870),
    ("HY-PHULUU", "Xã Phù Lưu", 1240),
    ("HY-BACHXA", "Xã Bạch Xa", 820),
];

const AGENCIES: &[(&str, &str, &str, i32)] = &[
    ("HY-BTG", "Ban Tuyên giáo Huyện ủy Hàm Yên", "co_quan", 14),
    ("HY-TTCT", "Trung tâm Chính trị huyện Hàm Yên", "co_quan", 9),
    ("HY-VHTT", "Phòng Văn hóa và Thông tin huyện", "co_quan", 11),
    ("HY-HDOAN", "Huyện đoàn Hàm Yên", "to_chuc", 1900),
    ("HY-CCB", "Hội Cựu chiến binh huyện", "to_chuc", 2100),
];

async fn unit(
    state: &AppState,
    code: &str,
    name: &str,
    kind: &str,
    parent: Option<i64>,
    headcount: Option<i32>,
) -> Result<i64> {
    let u = units::create(
        &state.db,
        units::NewUnit {
            code: code.into(),
            name: name.into(),
            name_key: hoithi_text::sort::sort_key(name),
            kind: kind.into(),
            parent_id: parent,
            headcount,
        },
    )
    .await?;
    Ok(u.id)
}

async fn account(state: &AppState, a: &DemoAccount, unit_id: i64) -> Result<i64> {
    let (email, phone) = if a.login.contains('@') {
        (Some(a.login.to_string()), None)
    } else {
        (None, Some(a.login.to_string()))
    };
    let hash = password::hash(a.password.to_string())
        .await
        .map_err(|e| Error(format!("{e:?}")))?;
    let u = users::create(
        &state.db,
        users::NewUser {
            email,
            phone,
            full_name: a.name.into(),
            name_key: hoithi_text::sort::name_sort_key(a.name),
            password_hash: hash,
            unit_id: Some(unit_id),
        },
    )
    .await?;
    Ok(u.id)
}

async fn grant(state: &AppState, user_id: i64, role: Role, unit_id: Option<i64>) -> Result<()> {
    grants::add(
        &state.db,
        grants::NewGrant {
            user_id,
            role: role.as_str().into(),
            unit_id,
            resource_kind: None,
            resource_id: None,
        },
    )
    .await?;
    Ok(())
}

/// Loads the demo into an empty database; returns whether it did.
pub async fn load_if_empty(state: &AppState) -> Result<bool> {
    if units::count(&state.db).await? > 0 || users::count(&state.db).await? > 0 {
        return Ok(false);
    }
    let centre = unit(state, "TW", "Trung ương", "trung_uong", None, None).await?;
    let province = unit(state, "TQ", "Tỉnh Tuyên Quang", "tinh", Some(centre), None).await?;
    let district = unit(state, "HY", "Huyện Hàm Yên", "huyen", Some(province), None).await?;
    let mut thai_son = district;
    for (code, name, head) in COMMUNES {
        let id = unit(state, code, name, "xa", Some(district), Some(*head)).await?;
        if *code == "HY-THAISON" {
            thai_son = id;
        }
    }
    let mut btg = district;
    for (code, name, kind, head) in AGENCIES {
        let id = unit(state, code, name, kind, Some(district), Some(*head)).await?;
        if *code == "HY-BTG" {
            btg = id;
        }
    }
    let admin = account(state, &ACCOUNTS[0], province).await?;
    grant(state, admin, Role::SiteAdmin, None).await?;
    let district_admin = account(state, &ACCOUNTS[1], btg).await?;
    grant(state, district_admin, Role::UnitAdmin, Some(district)).await?;
    let commune_admin = account(state, &ACCOUNTS[2], thai_son).await?;
    grant(state, commune_admin, Role::UnitAdmin, Some(thai_son)).await?;
    account(state, &ACCOUNTS[3], btg).await?;
    account(state, &ACCOUNTS[4], btg).await?;
    account(state, &ACCOUNTS[5], thai_son).await?;
    Ok(true)
}
