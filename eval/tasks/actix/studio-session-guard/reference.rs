#[get("/rooms/{room_id}/bookings")]
pub async fn list_bookings_for_room(_staff: StaffSession, pool: web::Data<DbPool>, path: web::Path<i32>) -> ApiResult<HttpResponse> {
    let room_id = path.into_inner();
    let bookings = web::block(move || {
        let mut conn = pool.get()?;
        Booking::for_room(&mut conn, room_id).map_err(ApiError::from)
    })
    .await??;
    Ok(HttpResponse::Ok().json(bookings))
}
