import { isObject, refTo, type JsonObject } from './template';

/** The variable naming the SSM parameter a worker reads its callback secret from. */
export const SECRET_PARAMETER_VARIABLE = 'CALLBACK_SECRET_PARAMETER';

/** A parameter's ARN from its name; names start with `/`, so no slash is added. */
export const ssmParameterArn = (parameterName: string) =>
  `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${parameterName}`;

/** A function's environment variables. */
export function environmentOf(properties: JsonObject): JsonObject {
  const environment = properties['Environment'];
  const variables = isObject(environment) ? environment['Variables'] : undefined;
  return isObject(variables) ? variables : {};
}

/** The log group a function writes to (`LoggingConfig.LogGroup: !Ref <group>`). */
export function logGroupOf(properties: JsonObject): string | undefined {
  const logging = properties['LoggingConfig'];
  return isObject(logging) ? refTo(logging['LogGroup']) : undefined;
}

/** The parameter naming a function's callback secret (`CALLBACK_SECRET_PARAMETER: !Ref P`). */
export function secretParameterOf(properties: JsonObject): string | undefined {
  return refTo(environmentOf(properties)[SECRET_PARAMETER_VARIABLE]);
}
