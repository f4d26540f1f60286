// One file per model struct (`pub mod customer;`), added as the team builds the app.
