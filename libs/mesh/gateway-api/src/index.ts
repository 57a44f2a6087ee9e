export {
  GATEWAY_CONTROLLER_NAME,
  type GatewayApiInput,
  type GatewayApiStatus,
  type GatewayDeployment,
  type GatewayApiResult,
} from './contract';
export { convertGatewayApi } from './convert';
export { analyzeGatewayApi } from './analyze';
