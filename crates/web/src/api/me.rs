use axum::Json;

use crate::auth::session::CurrentUser;

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Me {
    pub id: i64,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub unit_id: Option<i64>,
    pub roles: Vec<String>,
}

/// The signed-in account.
#[utoipa::path(get, path = "/api/v1/me", tag = "account",
    responses((status = 200, body = Me), (status = 401, body = crate::api::ErrorBody)))]
pub async fn me(me: CurrentUser) -> Json<Me> {
    Json(Me {
        id: me.user.id,
        full_name: me.user.full_name.clone(),
        email: me.user.email.clone(),
        phone: me.user.phone.clone(),
        unit_id: me.user.unit_id,
        roles: me
            .actor()
            .grants()
            .iter()
            .map(|g| g.role.as_str().to_string())
            .collect(),
    })
}
