import { describe, expect, it } from 'vitest';
import { awsServiceEndpoint } from './aws-endpoint.js';

describe('awsServiceEndpoint', () => {
  it('keeps the public defaults when no runtime endpoint is set', () => {
    expect(awsServiceEndpoint('sts', {})).toBeUndefined();
    expect(awsServiceEndpoint('bedrock', {})).toBeUndefined();
  });

  it('takes a configured STS or control-plane endpoint as given', () => {
    const settings = {
      endpoint: 'http://127.0.0.1:1',
      stsEndpoint: 'http://sts.local',
      controlEndpoint: 'http://cp.local',
    };
    expect(awsServiceEndpoint('sts', settings)).toBe('http://sts.local');
    expect(awsServiceEndpoint('bedrock', settings)).toBe('http://cp.local');
  });

  it('asks an emulator, proxy or VPC endpoint itself, never the public AWS hosts', () => {
    for (const endpoint of [
      'http://127.0.0.1:4010',
      'https://bedrock-proxy.example.com/aws/{region}',
      'https://vpce-0abc-1234.bedrock-runtime.us-east-1.vpce.amazonaws.com',
    ]) {
      expect(awsServiceEndpoint('sts', { endpoint })).toBe(endpoint);
      expect(awsServiceEndpoint('bedrock', { endpoint })).toBe(endpoint);
    }
  });

  it("derives the same region's hosts from AWS's own runtime host", () => {
    const endpoint = 'https://bedrock-runtime.{region}.amazonaws.com';
    expect(awsServiceEndpoint('sts', { endpoint })).toBe('https://sts.{region}.amazonaws.com');
    expect(awsServiceEndpoint('bedrock', { endpoint })).toBe('https://bedrock.{region}.amazonaws.com');
    expect(
      awsServiceEndpoint('sts', { endpoint: 'https://bedrock-runtime-fips.us-east-1.amazonaws.com/' }),
    ).toBe('https://sts-fips.us-east-1.amazonaws.com/');
  });
});
