#[post("/repairs/{repair_id}/finish")]
pub async fn finish_repair(state: web::Data<Arc<AppState>>, path: web::Path<i32>) -> Result<HttpResponse> {
    let repair_id = path.into_inner();
    let changed = web::block(move || {
        let mut conn = state.pool.get()?;
        db_actions::finish_repair(&mut conn, repair_id)
    })
    .await?
    .map_err(error::ErrorInternalServerError)?;
    if changed == 0 {
        return Err(error::ErrorNotFound("repair not found"));
    }
    Ok(HttpResponse::NoContent().finish())
}
