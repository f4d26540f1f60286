use actix_web::web;

pub mod customers;
pub mod orders;
pub mod products;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api")
            .service(customers::list_customers)
            .service(customers::get_customer)
            .service(customers::create_customer)
            .service(customers::update_customer)
            .service(customers::delete_customer)
            .service(orders::get_order)
            .service(orders::create_order)
            .service(products::list_products),
    );
}
