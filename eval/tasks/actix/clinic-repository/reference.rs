pub async fn appointments_for_patient(db: web::Data<Database>, path: web::Path<i32>) -> actix_web::Result<HttpResponse> {
    let patient_id = path.into_inner();
    let appointments = web::block(move || db.appointments_for_patient(patient_id))
        .await?
        .map_err(error::ErrorInternalServerError)?;
    Ok(HttpResponse::Ok().json(appointments))
}
