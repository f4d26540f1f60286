pub async fn cancel_appointment(db: web::Data<Database>, path: web::Path<i32>) -> actix_web::Result<HttpResponse> {
    let appointment_id = path.into_inner();
    let cancelled = web::block(move || db.cancel_appointment(appointment_id))
        .await?
        .map_err(error::ErrorInternalServerError)?;
    if cancelled == 0 {
        return Err(error::ErrorNotFound("appointment not found"));
    }
    Ok(HttpResponse::NoContent().finish())
}
