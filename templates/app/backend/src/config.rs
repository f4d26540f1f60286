use crate::errors::AppError;

/// Settings from the environment (and `.env`); every value has a default for development.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub host: String,
    pub port: u16,
    pub frontend_origins: Vec<String>,
}

fn var_or(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| default.to_string())
}

impl Config {
    pub fn from_env() -> Result<Self, AppError> {
        let port_text = var_or("PORT", "8088");
        let port = port_text
            .parse()
            .map_err(|_| AppError::Config(format!("PORT must be a port number, not {port_text:?}")))?;
        let frontend_origins = var_or("FRONTEND_ORIGINS", "http://localhost:5173,http://127.0.0.1:5173")
            .split(',')
            .map(|o| o.trim().to_string())
            .filter(|o| !o.is_empty())
            .collect();
        Ok(Config {
            database_url: var_or("DATABASE_URL", "{{crate_name}}.sqlite"),
            host: var_or("HOST", "127.0.0.1"),
            port,
            frontend_origins,
        })
    }
}
