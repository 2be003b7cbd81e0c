/// The operators' half of `serve`: the back office in the browser (`/backoffice/…`) and the admin API
/// (`/api/customers…`), with operator sign-in, sessions and API keys. Like the storefront, it turns HTTP requests
/// into calls of the application layer (`CustomerService`) and knows nothing of the store; it is a module of its
/// own so that the customers' pages (`Storefront`) never see operator sessions, and the operators' pages never
/// share a route table with pages a customer can reach.
public enum BackOffice {}
