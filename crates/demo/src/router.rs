//! The HTTP surface: routes, and the middleware stack around them.
//!
//! Contract: CORS is the outermost layer (so preflights and errors carry CORS headers too),
//! instrumentation sits inside it (after routing, so it sees the route template), and every
//! unknown path gets a JSON 404.

use std::sync::Arc;

use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use axum::Router;

use crate::state::AppState;
use crate::{admin, api, cors, health, instrument};

/// Builds the application router over shared state.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(admin::index))
        .route("/api/users", get(api::list_users).post(api::create_user))
        .route("/api/users/{id}", get(api::get_user))
        .route("/api/orders", get(api::list_orders).post(api::create_order))
        .route("/api/search", get(api::search))
        .route("/api/login", post(api::login))
        .route("/health", get(health::health))
        .route("/metrics", get(admin::metrics))
        .route("/admin/scenario", get(admin::get_scenario))
        .route("/admin/scenario/{name}", post(admin::set_scenario))
        .route(
            "/admin/dependency/{name}/{state}",
            post(admin::set_dependency),
        )
        .route("/admin/load", get(admin::get_load))
        .route("/admin/load/{rps}", post(admin::set_load))
        .fallback(api::not_found)
        .layer(from_fn_with_state(state.clone(), instrument::instrument))
        .layer(from_fn(cors::cors))
        .with_state(state)
}
