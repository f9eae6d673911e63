//

export * from '../models/ErrorError.model';
export * from '../models/ErrorRequest.model';
export * from '../models/ErrorResponse.model';
export * from '../models/HealthResponse.model';
export * from '../models/ModelError.model';
export * from '../models/SystemHealth.model';
