#[get("/vehicles/{vehicle_id}/repairs")]
pub async fn vehicle_repairs(state: web::Data<Arc<AppState>>, path: web::Path<i32>) -> Result<HttpResponse> {
    let vehicle_id = path.into_inner();
    let repairs = web::block(move || {
        let mut conn = state.pool.get()?;
        db_actions::repairs_for_vehicle(&mut conn, vehicle_id)
    })
    .await?
    .map_err(error::ErrorInternalServerError)?;
    Ok(HttpResponse::Ok().json(repairs))
}
