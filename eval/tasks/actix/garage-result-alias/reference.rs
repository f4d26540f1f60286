#[get("/repairs/open")]
pub async fn open_repairs(state: web::Data<Arc<AppState>>) -> Result<HttpResponse> {
    let repairs = web::block(move || {
        let mut conn = state.pool.get()?;
        db_actions::open_repairs(&mut conn)
    })
    .await?
    .map_err(error::ErrorInternalServerError)?;
    Ok(HttpResponse::Ok().json(repairs))
}
