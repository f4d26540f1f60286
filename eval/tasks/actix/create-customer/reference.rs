#[post("/customers")]
pub async fn create_customer(
    pool: web::Data<DbPool>,
    body: web::Json<NewCustomer>,
) -> Result<HttpResponse, AppError> {
    let new_customer = body.into_inner();
    let customer = web::block(move || {
        let mut conn = pool.get().map_err(|e| AppError::Pool(e.to_string()))?;
        Customer::create(&mut conn, &new_customer).map_err(AppError::from)
    })
    .await??;
    Ok(HttpResponse::Created().json(customer))
}
