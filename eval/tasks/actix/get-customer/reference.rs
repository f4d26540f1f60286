#[get("/customers/{customer_id}")]
pub async fn get_customer(
    pool: web::Data<DbPool>,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let customer_id = path.into_inner();
    let customer = web::block(move || {
        let mut conn = pool.get().map_err(|e| AppError::Pool(e.to_string()))?;
        Customer::find(&mut conn, customer_id).map_err(AppError::from)
    })
    .await??;
    match customer {
        Some(customer) => Ok(HttpResponse::Ok().json(customer)),
        None => Err(AppError::NotFound),
    }
}
