//! The `/api/*` handlers: a toy users/orders/search/login API that does simulated work.
//!
//! Contract: every handler runs its route's simulated work (`work.rs`), may fail with an
//! [`ApiError`] (validation 400, auth 401, missing 404, injected 500, payment 502, database 503)
//! and otherwise answers JSON. Users 1–100 exist; `alice`, `bob`, `carol`, `dave` and `eve` can
//! log in with password `secret`. Cached reads (`GET /api/users/{id}`, search) skip the
//! database on a hit.

use std::sync::Arc;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::state::AppState;
use crate::work::{charge_payment, compute, injected_fault, query_db, Route};

type ApiResult = Result<(StatusCode, Json<Value>), ApiError>;

/// Number of users the fake database holds (ids 1..=USER_COUNT).
pub const USER_COUNT: u32 = 100;
/// Accounts that can log in, all with password [`PASSWORD`].
pub const ACCOUNTS: [&str; 5] = ["alice", "bob", "carol", "dave", "eve"];
/// The one password the fake accounts share.
pub const PASSWORD: &str = "secret";

const FIRST_NAMES: [&str; 8] = [
    "Ada", "Grace", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances",
];

fn user(id: u32) -> Value {
    let index = usize::try_from(id).unwrap_or(0) % FIRST_NAMES.len();
    let name = FIRST_NAMES.get(index).copied().unwrap_or("User");
    json!({ "id": id, "name": format!("{name} {id}"), "email": format!("user{id}@example.com") })
}

fn ok(body: Value) -> ApiResult {
    Ok((StatusCode::OK, Json(body)))
}

/// Query string of list endpoints.
#[derive(Debug, Deserialize)]
pub struct Page {
    limit: Option<u32>,
}

/// `GET /api/users?limit=N`
pub async fn list_users(
    State(state): State<Arc<AppState>>,
    page: Result<Query<Page>, QueryRejection>,
) -> ApiResult {
    let Query(page) = page?;
    compute(&state, Route::ListUsers).await;
    query_db(&state, Route::ListUsers).await?;
    injected_fault(&state)?;
    let limit = page.limit.unwrap_or(10).clamp(1, USER_COUNT);
    let users: Vec<Value> = (1..=limit).map(user).collect();
    ok(json!({ "users": users, "total": USER_COUNT }))
}

/// `GET /api/users/{id}`: cached for the configured TTL.
pub async fn get_user(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult {
    let id: u32 = id
        .parse()
        .map_err(|_| ApiError::validation(format!("user id `{id}` is not a positive integer")))?;
    compute(&state, Route::GetUser).await;
    let key = format!("user:{id}");
    let cached = state.cache.get(&key).is_some();
    if !cached {
        query_db(&state, Route::GetUser).await?;
    }
    injected_fault(&state)?;
    if !(1..=USER_COUNT).contains(&id) {
        return Err(ApiError::not_found(format!("user {id} does not exist")));
    }
    if !cached {
        state.cache.put(&key, user(id));
    }
    ok(json!({ "user": user(id), "cached": cached }))
}

/// `POST /api/users` with `{"name": "..."}`.
pub async fn create_user(
    State(state): State<Arc<AppState>>,
    body: Result<Json<Value>, JsonRejection>,
) -> ApiResult {
    let Json(body) = body?;
    let name = body
        .get("name")
        .and_then(Value::as_str)
        .filter(|name| !name.trim().is_empty())
        .ok_or_else(|| ApiError::validation("field `name` (non-empty string) is required"))?;
    compute(&state, Route::CreateUser).await;
    query_db(&state, Route::CreateUser).await?;
    injected_fault(&state)?;
    let id = state.with_rng(|rng| rng.range_inclusive(101, 1_000_000));
    Ok((StatusCode::CREATED, Json(json!({ "id": id, "name": name }))))
}

/// `GET /api/orders?limit=N`
pub async fn list_orders(
    State(state): State<Arc<AppState>>,
    page: Result<Query<Page>, QueryRejection>,
) -> ApiResult {
    let Query(page) = page?;
    compute(&state, Route::ListOrders).await;
    query_db(&state, Route::ListOrders).await?;
    injected_fault(&state)?;
    let limit = page.limit.unwrap_or(10).clamp(1, 100);
    let orders: Vec<Value> = (1..=limit)
        .map(
            |id| json!({ "id": id, "user_id": id % USER_COUNT + 1, "amount": f64::from(id) * 9.5 }),
        )
        .collect();
    ok(json!({ "orders": orders }))
}

/// `POST /api/orders` with `{"user_id": N, "amount": X}`: charges the payment API.
pub async fn create_order(
    State(state): State<Arc<AppState>>,
    body: Result<Json<Value>, JsonRejection>,
) -> ApiResult {
    let Json(body) = body?;
    let user_id = body.get("user_id").and_then(Value::as_u64);
    let amount = body
        .get("amount")
        .and_then(Value::as_f64)
        .filter(|a| *a > 0.0);
    let (Some(user_id), Some(amount)) = (user_id, amount) else {
        return Err(ApiError::validation(
            "fields `user_id` (integer) and `amount` (positive number) are required",
        ));
    };
    compute(&state, Route::CreateOrder).await;
    query_db(&state, Route::CreateOrder).await?;
    charge_payment(&state).await?;
    injected_fault(&state)?;
    let id = state.with_rng(|rng| rng.range_inclusive(1, 1_000_000));
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": id, "user_id": user_id, "amount": amount, "status": "paid" })),
    ))
}

/// Query string of the search endpoint.
#[derive(Debug, Deserialize)]
pub struct SearchParams {
    q: Option<String>,
}

/// `GET /api/search?q=...`: cached per query.
pub async fn search(
    State(state): State<Arc<AppState>>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> ApiResult {
    let Query(params) = params?;
    let q = params
        .q
        .map(|q| q.trim().to_lowercase())
        .filter(|q| !q.is_empty())
        .ok_or_else(|| ApiError::validation("query parameter `q` is required"))?;
    compute(&state, Route::Search).await;
    let key = format!("search:{q}");
    let cached = state.cache.get(&key);
    let results = match cached.clone() {
        Some(results) => results,
        None => {
            query_db(&state, Route::Search).await?;
            search_users(&q)
        }
    };
    injected_fault(&state)?;
    if cached.is_none() {
        state.cache.put(&key, results.clone());
    }
    ok(json!({ "query": q, "results": results, "cached": cached.is_some() }))
}

/// Up to five users whose name contains `q` (already lower-cased).
fn search_users(q: &str) -> Value {
    let matches = |u: &Value| {
        u.get("name")
            .and_then(Value::as_str)
            .is_some_and(|name| name.to_lowercase().contains(q))
    };
    Value::Array((1..=USER_COUNT).map(user).filter(matches).take(5).collect())
}

/// `POST /api/login` with `{"username": "...", "password": "..."}`.
pub async fn login(
    State(state): State<Arc<AppState>>,
    body: Result<Json<Value>, JsonRejection>,
) -> ApiResult {
    let Json(body) = body?;
    let field = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_string);
    let (Some(username), Some(password)) = (field("username"), field("password")) else {
        return Err(ApiError::validation(
            "fields `username` and `password` are required",
        ));
    };
    compute(&state, Route::Login).await;
    query_db(&state, Route::Login).await?;
    injected_fault(&state)?;
    if !ACCOUNTS.contains(&username.as_str()) || password != PASSWORD {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "auth_failed",
            "invalid username or password",
        ));
    }
    let token = state.with_rng(|rng| format!("{:016x}", rng.next_u64()));
    ok(json!({ "username": username, "token": token }))
}

/// Any unknown path.
pub async fn not_found() -> ApiError {
    ApiError::not_found("no such endpoint")
}
