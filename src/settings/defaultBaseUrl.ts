/** The model server nocodo uses when no setting or environment variable names one (its own file: the activation bundle needs it without the settings' schemas). */
export const DEFAULT_BASE_URL = 'http://localhost:8080/v1';
