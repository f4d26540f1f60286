mod config;
mod db;
mod errors;
mod handlers;
mod models;
mod schema;

use actix_cors::Cors;
use actix_web::{middleware::Logger, web, App, HttpServer};

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    dotenvy::dotenv().ok();
    env_logger::init_from_env(env_logger::Env::default().default_filter_or("info"));
    let config = config::Config::from_env().map_err(std::io::Error::other)?;
    let pool = db::pool(&config.database_url).map_err(std::io::Error::other)?;
    db::run_migrations(&pool).map_err(std::io::Error::other)?;
    log::info!("{{app_name}} API listening on http://{}:{}", config.host, config.port);
    let origins = config.frontend_origins.clone();
    HttpServer::new(move || {
        let cors = origins
            .iter()
            .fold(Cors::default(), |cors, origin| cors.allowed_origin(origin))
            .allow_any_method()
            .allow_any_header()
            .max_age(3600);
        App::new()
            .wrap(Logger::default())
            .wrap(cors)
            .app_data(web::Data::new(pool.clone()))
            .configure(handlers::configure)
    })
    .bind((config.host.as_str(), config.port))?
    .run()
    .await
}
