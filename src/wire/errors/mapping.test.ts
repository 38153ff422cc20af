import { describe, expect, it } from 'vitest';
import { parseAnthropicError, renderAnthropicError } from './anthropic.js';
import { parseBedrockError, renderBedrockError } from './bedrock.js';
import { BEDROCK_EXCEPTIONS } from './bedrock-exceptions.js';
import { GatewayError } from './gateway-error.js';
import { parseVertexError, renderVertexError } from './google.js';
import { GOOGLE_STATUS_CODES } from './google-status.js';
import {
  anthropicErrorTypeForBedrock,
  anthropicErrorTypeForGoogle,
  ERROR_MAPPINGS,
  errorMappingFor,
} from './mapping.js';
import { ANTHROPIC_ERROR_STATUS } from './types.js';

const MESSAGE = 'The original words, kept: ünïcode "quotes" and `ticks`.';

/** A Vertex answer, written as `anthropic <status>` or `<NAME> <code>`. */
function vertexAnswer(rendered: { status: number; body: string }): string {
  const body = JSON.parse(rendered.body) as { type?: string; error: { status?: string } };
  return body.type === 'error' ? `anthropic ${rendered.status}` : `${body.error.status} ${rendered.status}`;
}

describe('the table itself', () => {
  it('has exactly one row per documented Anthropic error type', () => {
    expect(ERROR_MAPPINGS.map((row) => row.type).sort()).toEqual(Object.keys(ANTHROPIC_ERROR_STATUS).sort());
  });

  it('reads every known Bedrock exception in exactly one row', () => {
    for (const name of Object.keys(BEDROCK_EXCEPTIONS)) {
      expect(
        ERROR_MAPPINGS.filter((row) => row.fromBedrock.includes(name)),
        name,
      ).toHaveLength(1);
    }
  });

  it('reads every google.rpc.Code name in exactly one row', () => {
    for (const name of Object.keys(GOOGLE_STATUS_CODES)) {
      expect(
        ERROR_MAPPINGS.filter((row) => (row.fromGoogle as readonly string[]).includes(name)),
        name,
      ).toHaveLength(1);
    }
  });

  it('looks unknown types and names up by status', () => {
    expect(errorMappingFor('teapot_error', 503).type).toBe('overloaded_error');
    expect(errorMappingFor('teapot_error').type).toBe('api_error');
    expect(anthropicErrorTypeForBedrock('ConflictException', 400)).toBe('invalid_request_error');
    expect(anthropicErrorTypeForBedrock(undefined, 502)).toBe('api_error');
    expect(anthropicErrorTypeForGoogle('SOMETHING_NEW', 429)).toBe('rate_limit_error');
  });
});

// name, its status, → Anthropic type and status, x-should-retry, → Vertex answer
const FROM_BEDROCK: ReadonlyArray<readonly [string, number, string, number, string, string]> = [
  ['ValidationException', 400, 'invalid_request_error', 400, 'false', 'anthropic 400'],
  ['ServiceQuotaExceededException', 400, 'rate_limit_error', 429, 'false', 'RESOURCE_EXHAUSTED 429'],
  ['AccessDeniedException', 403, 'permission_error', 403, 'false', 'PERMISSION_DENIED 403'],
  ['ResourceNotFoundException', 404, 'not_found_error', 404, 'false', 'NOT_FOUND 404'],
  ['ModelTimeoutException', 408, 'timeout_error', 504, 'true', 'DEADLINE_EXCEEDED 504'],
  ['ThrottlingException', 429, 'rate_limit_error', 429, 'true', 'RESOURCE_EXHAUSTED 429'],
  ['ModelNotReadyException', 429, 'overloaded_error', 529, 'true', 'anthropic 529'],
  ['ModelErrorException', 424, 'api_error', 500, 'false', 'INTERNAL 500'],
  ['ModelStreamErrorException', 424, 'api_error', 500, 'false', 'INTERNAL 500'],
  ['InternalServerException', 500, 'api_error', 500, 'true', 'INTERNAL 500'],
  ['ServiceUnavailableException', 503, 'overloaded_error', 529, 'true', 'anthropic 529'],
  ['UnrecognizedClientException', 403, 'authentication_error', 401, 'false', 'UNAUTHENTICATED 401'],
  ['InvalidSignatureException', 403, 'authentication_error', 401, 'false', 'UNAUTHENTICATED 401'],
  ['ExpiredTokenException', 403, 'authentication_error', 401, 'false', 'UNAUTHENTICATED 401'],
  ['MissingAuthenticationTokenException', 403, 'authentication_error', 401, 'false', 'UNAUTHENTICATED 401'],
  ['IncompleteSignatureException', 400, 'authentication_error', 401, 'false', 'UNAUTHENTICATED 401'],
];

describe.each(FROM_BEDROCK)('Bedrock %s (%i)', (name, status, type, anthropicStatus, shouldRetry, vertex) => {
  const headers = {
    'x-amzn-errortype': `${name}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    'x-amzn-requestid': 'b1c68b9a-552a-466b-b761-4ee6b710ece4',
  };
  const error = parseBedrockError(status, headers, JSON.stringify({ message: MESSAGE }));

  it('reads as the expected GatewayError', () => {
    expect(error).toMatchObject({ status, type, message: MESSAGE, platform: 'bedrock', upstreamCode: name });
    expect(error.requestId).toBe('b1c68b9a-552a-466b-b761-4ee6b710ece4');
  });

  it('is answered to an Anthropic client with the Anthropic status, and reads back the same', () => {
    const rendered = renderAnthropicError(error);
    expect(rendered.status).toBe(anthropicStatus);
    expect(rendered.headers['x-should-retry']).toBe(shouldRetry);
    expect(JSON.parse(rendered.body)).toMatchObject({ type: 'error', error: { type, message: MESSAGE } });
    const back = parseAnthropicError(rendered.status, rendered.headers, rendered.body);
    expect(back).toMatchObject({ type, message: MESSAGE, retryable: shouldRetry === 'true' });
  });

  it('is answered to a Vertex client in the shape Vertex uses, and reads back the same', () => {
    const rendered = renderVertexError(error);
    expect(vertexAnswer(rendered)).toBe(vertex);
    expect(rendered.body).toContain(JSON.stringify(MESSAGE));
    expect(parseVertexError(rendered.status, rendered.headers, rendered.body)).toMatchObject({
      type,
      message: MESSAGE,
    });
  });

  it('is answered to a Bedrock client unchanged', () => {
    const rendered = renderBedrockError(error);
    expect(rendered.status).toBe(status);
    expect(rendered.headers['x-amzn-errortype']?.split(':')[0]).toBe(name);
    expect(JSON.parse(rendered.body)).toEqual({ message: MESSAGE });
  });
});

// name → Anthropic type and status, → Bedrock exception and status
const FROM_GOOGLE: ReadonlyArray<readonly [string, number, string, number, string, number]> = [
  ['INVALID_ARGUMENT', 400, 'invalid_request_error', 400, 'ValidationException', 400],
  ['FAILED_PRECONDITION', 400, 'invalid_request_error', 400, 'ValidationException', 400],
  ['OUT_OF_RANGE', 400, 'invalid_request_error', 400, 'ValidationException', 400],
  ['ALREADY_EXISTS', 409, 'invalid_request_error', 400, 'ValidationException', 400],
  ['UNAUTHENTICATED', 401, 'authentication_error', 401, 'UnrecognizedClientException', 403],
  ['PERMISSION_DENIED', 403, 'permission_error', 403, 'AccessDeniedException', 403],
  ['NOT_FOUND', 404, 'not_found_error', 404, 'ResourceNotFoundException', 404],
  ['UNIMPLEMENTED', 501, 'not_found_error', 404, 'ResourceNotFoundException', 404],
  ['RESOURCE_EXHAUSTED', 429, 'rate_limit_error', 429, 'ThrottlingException', 429],
  ['CANCELLED', 499, 'api_error', 500, 'InternalServerException', 500],
  ['ABORTED', 409, 'api_error', 500, 'InternalServerException', 500],
  ['INTERNAL', 500, 'api_error', 500, 'InternalServerException', 500],
  ['UNKNOWN', 500, 'api_error', 500, 'InternalServerException', 500],
  ['DATA_LOSS', 500, 'api_error', 500, 'InternalServerException', 500],
  ['DEADLINE_EXCEEDED', 504, 'timeout_error', 504, 'ModelTimeoutException', 408],
  ['UNAVAILABLE', 503, 'overloaded_error', 529, 'ServiceUnavailableException', 503],
];

describe.each(FROM_GOOGLE)(
  'Vertex %s (%i)',
  (name, code, type, anthropicStatus, bedrockName, bedrockStatus) => {
    const body = [{ error: { code, message: MESSAGE, status: name } }];
    const error = parseVertexError(code, {}, JSON.stringify(body));

    it('reads as the expected GatewayError', () => {
      expect(error).toMatchObject({
        status: code,
        type,
        message: MESSAGE,
        platform: 'vertex',
        upstreamCode: name,
      });
    });

    it('is answered to an Anthropic client', () => {
      const rendered = renderAnthropicError(error);
      expect(rendered.status).toBe(anthropicStatus);
      expect(JSON.parse(rendered.body)).toMatchObject({ error: { type, message: MESSAGE } });
    });

    it('is answered to a Bedrock client, and reads back the same', () => {
      const rendered = renderBedrockError(error);
      expect(rendered.status).toBe(bedrockStatus);
      expect(rendered.headers['x-amzn-errortype']?.split(':')[0]).toBe(bedrockName);
      expect(parseBedrockError(rendered.status, rendered.headers, rendered.body)).toMatchObject({
        upstreamCode: bedrockName,
        type,
        message: MESSAGE,
      });
    });

    it('is answered to a Vertex client unchanged', () => {
      const rendered = renderVertexError(error);
      expect(rendered.status).toBe(code);
      expect(JSON.parse(rendered.body)).toEqual({ error: { code, message: MESSAGE, status: name } });
    });
  },
);

// type → Bedrock exception and status and the type it reads back as, → Vertex answer and the type it reads back as
const FROM_ANTHROPIC: ReadonlyArray<readonly [string, string, number, string, string, string]> = [
  [
    'invalid_request_error',
    'ValidationException',
    400,
    'invalid_request_error',
    'anthropic 400',
    'invalid_request_error',
  ],
  [
    'authentication_error',
    'UnrecognizedClientException',
    403,
    'authentication_error',
    'UNAUTHENTICATED 401',
    'authentication_error',
  ],
  [
    'billing_error',
    'AccessDeniedException',
    403,
    'permission_error',
    'PERMISSION_DENIED 403',
    'permission_error',
  ],
  [
    'permission_error',
    'AccessDeniedException',
    403,
    'permission_error',
    'PERMISSION_DENIED 403',
    'permission_error',
  ],
  [
    'not_found_error',
    'ResourceNotFoundException',
    404,
    'not_found_error',
    'NOT_FOUND 404',
    'not_found_error',
  ],
  [
    'request_too_large',
    'ValidationException',
    400,
    'invalid_request_error',
    'anthropic 413',
    'request_too_large',
  ],
  [
    'rate_limit_error',
    'ThrottlingException',
    429,
    'rate_limit_error',
    'RESOURCE_EXHAUSTED 429',
    'rate_limit_error',
  ],
  ['api_error', 'InternalServerException', 500, 'api_error', 'INTERNAL 500', 'api_error'],
  ['timeout_error', 'ModelTimeoutException', 408, 'timeout_error', 'DEADLINE_EXCEEDED 504', 'timeout_error'],
  [
    'overloaded_error',
    'ServiceUnavailableException',
    503,
    'overloaded_error',
    'anthropic 529',
    'overloaded_error',
  ],
];

describe.each(FROM_ANTHROPIC)(
  'Anthropic %s',
  (type, bedrockName, bedrockStatus, bedrockReadBack, vertex, vertexReadBack) => {
    const status = ANTHROPIC_ERROR_STATUS[type as keyof typeof ANTHROPIC_ERROR_STATUS];
    const body = JSON.stringify({ type: 'error', error: { type, message: MESSAGE }, request_id: 'req_011' });
    const error = parseAnthropicError(status, { 'request-id': 'req_011' }, body);

    it('reads as the expected GatewayError', () => {
      expect(error).toMatchObject({
        status,
        type,
        message: MESSAGE,
        platform: 'anthropic',
        requestId: 'req_011',
      });
      expect(error.upstreamCode).toBeUndefined();
    });

    it('is answered to a Bedrock client, and reads back', () => {
      const rendered = renderBedrockError(error);
      expect(rendered.status).toBe(bedrockStatus);
      expect(rendered.headers['x-amzn-errortype']?.split(':')[0]).toBe(bedrockName);
      expect(parseBedrockError(rendered.status, rendered.headers, rendered.body)).toMatchObject({
        type: bedrockReadBack,
        message: MESSAGE,
      });
    });

    it('is answered to a Vertex client in the shape Vertex uses', () => {
      const rendered = renderVertexError(error);
      expect(vertexAnswer(rendered)).toBe(vertex);
      expect(parseVertexError(rendered.status, rendered.headers, rendered.body)).toMatchObject({
        type: vertexReadBack,
        message: MESSAGE,
      });
    });

    it('is answered to an Anthropic client unchanged', () => {
      const rendered = renderAnthropicError(error);
      expect(rendered.status).toBe(status);
      expect(JSON.parse(rendered.body)).toEqual(JSON.parse(body));
    });
  },
);

describe('errors of the gateway itself', () => {
  it('keep their own status for Anthropic clients and take the table for the others', () => {
    const error = GatewayError.fromCode('UPSTREAM_UNREACHABLE', {
      platform: 'Bedrock',
      reason: 'ECONNREFUSED',
    });
    expect(renderAnthropicError(error).status).toBe(502);
    expect(renderBedrockError(error).headers['x-amzn-errortype']).toMatch(/^InternalServerException:/);
    expect(vertexAnswer(renderVertexError(error))).toBe('INTERNAL 500');
  });
});
