/**
 * deploy/helm/claude-gateway, checked without helm or a cluster: its
 * templates are rendered with Helm's own template libraries (Go's
 * text/template, sprig, sigs.k8s.io/yaml: ./helm-render.ts), every object is validated against the Kubernetes
 * OpenAPI schemas (kubernetes-models, and the Prometheus operator's for the
 * ServiceMonitor), the ConfigMap's claude-gateway.yaml passes the gateway's
 * own schema with the Secret's variables, and the Deployment agrees with the
 * image (config path, port, user, journal folder) and the probes with the
 * gateway's endpoints.
 */

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfigFile } from '../../src/config/load.js';
import { renderChart } from './helm-render.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHART = join(ROOT, 'deploy/helm/claude-gateway');
const SECRETS = {
  CLAUDE_GATEWAY_ADMIN_KEY: 'admin-key-0123456789abcdef',
  CLAUDE_GATEWAY_METRICS_TOKEN: 'metrics-token-0123456789',
  DATABASE_URL: 'postgres://gateway:secret@postgres:5432/gateway',
  REDIS_URL: 'redis://redis:6379',
  AWS_REGION: 'us-east-1',
};

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  ConfigMap,
  Deployment,
  Secret,
  Service,
  ServiceAccount,
  ServiceMonitor,
};

// biome-ignore lint/suspicious/noExplicitAny: rendered manifests are read field by field
type Loose = Record<string, any>;

function objectsByKind(objects: Record<string, unknown>[]): Record<string, Loose[]> {
  const byKind: Record<string, Loose[]> = {};
  for (const object of objects) {
    const kind = String(object['kind']);
    byKind[kind] ??= [];
    byKind[kind].push(object as Loose);
  }
  return byKind;
}

/** The one object of a kind (the test fails when there is none). */
function one(kinds: Record<string, Loose[]>, kind: string): Loose {
  const found = kinds[kind]?.[0];
  if (!found) throw new Error(`the chart rendered no ${kind}`);
  return found;
}

/** The image's own facts, from the Dockerfile: the config path in its command, its port and user. */
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

describe('the Helm chart, rendered with its defaults, secrets filled and a ServiceMonitor', () => {
  const chart = renderChart(CHART, 'gw', {
    secrets: { env: SECRETS },
    serviceMonitor: { enabled: true, labels: { release: 'kube-prometheus-stack' } },
  });
  const kinds = objectsByKind(chart.objects);

  it('renders each object once and each passes its Kubernetes schema', () => {
    expect(Object.keys(kinds).sort()).toEqual(Object.keys(MODELS).sort());
    for (const object of chart.objects) {
      const Model = MODELS[String(object['kind'])];
      expect(Model, String(object['kind'])).toBeDefined();
      expect(() =>
        new (Model as new (data: unknown) => { validate(): void })(object).validate(),
      ).not.toThrow();
    }
    expect(chart.files['NOTES.txt']).toContain('http://gw:4000');
  });

  it('carries a configuration the gateway accepts, with the Secret as its environment', () => {
    const configMap = one(kinds, 'ConfigMap');
    const folder = mkdtempSync(join(tmpdir(), 'cgw-helm-'));
    try {
      const file = join(folder, 'claude-gateway.yaml');
      writeFileSync(file, configMap['data']['claude-gateway.yaml']);
      const secret = one(kinds, 'Secret');
      const { config } = loadConfigFile(file, secret['stringData']);
      expect(config.server).toMatchObject({
        host: '0.0.0.0',
        port: 4000,
        adminKey: SECRETS.CLAUDE_GATEWAY_ADMIN_KEY,
      });
      expect(config.server.metricsToken).toBe(SECRETS.CLAUDE_GATEWAY_METRICS_TOKEN);
      expect(config.store.url).toBe(SECRETS.DATABASE_URL);
      expect(config.sessions.redisUrl).toBe(SECRETS.REDIS_URL);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('runs the image as it is built: config where its command reads it, its port, its user, a writable journal', () => {
    const deployment = one(kinds, 'Deployment');
    const pod = deployment['spec']['template']['spec'];
    const container = pod['containers'][0];
    expect(deployment['spec']['replicas']).toBe(3);
    expect(container['image']).toBe('claude-gateway:0.1.0');
    const configMount = container['volumeMounts'].find((mount: Loose) => mount['name'] === 'config');
    expect(dockerfile).toContain(`"--config", "${configMount['mountPath']}/claude-gateway.yaml"`);
    expect(dockerfile).toMatch(new RegExp(`EXPOSE ${container['ports'][0]['containerPort']}\\b`));
    expect(dockerfile).toMatch(/USER node/);
    expect(pod['securityContext']).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(container['securityContext']).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    const journal = container['volumeMounts'].find((mount: Loose) => mount['name'] === 'journal');
    const config = parse(one(kinds, 'ConfigMap')['data']['claude-gateway.yaml']);
    expect(journal['mountPath']).toBe(config.store.journal.dir);
    expect(container['envFrom']).toEqual([{ secretRef: { name: 'gw' } }]);
    expect(container['resources']['requests']).toMatchObject({ cpu: '250m', memory: '256Mi' });
    expect(deployment['spec']['template']['metadata']['annotations']['checksum/config']).toMatch(
      /^[0-9a-f]{64}$/,
    );
  });

  it('probes /healthz for liveness and /readyz for readiness on the http port', () => {
    const container = one(kinds, 'Deployment')['spec']['template']['spec']['containers'][0];
    expect(container['livenessProbe']['httpGet']).toEqual({ path: '/healthz', port: 'http' });
    expect(container['readinessProbe']['httpGet']).toEqual({ path: '/readyz', port: 'http' });
    const service = one(kinds, 'Service');
    expect(service['spec']['ports'][0]).toMatchObject({ name: 'http', port: 4000, targetPort: 'http' });
    expect(service['spec']['selector']).toEqual(one(kinds, 'Deployment')['spec']['selector']['matchLabels']);
  });

  it('scrapes /metrics with the metrics token from the Secret', () => {
    const monitor = one(kinds, 'ServiceMonitor');
    expect(monitor['metadata']['labels']['release']).toBe('kube-prometheus-stack');
    const endpoint = monitor['spec']['endpoints'][0];
    expect(endpoint).toMatchObject({ port: 'http', path: '/metrics' });
    expect(endpoint['authorization']).toEqual({
      type: 'Bearer',
      credentials: { name: 'gw', key: 'CLAUDE_GATEWAY_METRICS_TOKEN' },
    });
    expect(one(kinds, 'Secret')['stringData']['CLAUDE_GATEWAY_METRICS_TOKEN']).toBe(
      SECRETS.CLAUDE_GATEWAY_METRICS_TOKEN,
    );
  });
});

describe('the Helm chart with a Secret of your own and credential files', () => {
  const chart = renderChart(CHART, 'claude', {
    replicaCount: 2,
    image: { repository: 'registry.internal/claude-gateway', tag: '1.2.3' },
    secrets: {
      create: false,
      existingSecret: 'gateway-credentials',
      files: { 'google.json': '{"type":"x"}' },
    },
    extraEnv: [
      { name: 'GOOGLE_APPLICATION_CREDENTIALS', value: '/var/run/secrets/claude-gateway/google.json' },
    ],
    serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/gw' } },
  });
  const kinds = objectsByKind(chart.objects);

  it('uses the named Secret, mounts the files, and creates no ServiceMonitor', () => {
    for (const object of chart.objects) {
      const Model = MODELS[String(object['kind'])] as new (data: unknown) => { validate(): void };
      expect(() => new Model(object).validate()).not.toThrow();
    }
    expect(kinds['ServiceMonitor']).toBeUndefined();
    expect(kinds['Secret']?.map((secret) => secret['metadata']['name'])).toEqual(['claude-files']);
    const pod = one(kinds, 'Deployment')['spec']['template']['spec'];
    const container = pod['containers'][0];
    expect(container['image']).toBe('registry.internal/claude-gateway:1.2.3');
    expect(container['envFrom']).toEqual([{ secretRef: { name: 'gateway-credentials' } }]);
    expect(container['env']).toEqual([
      { name: 'GOOGLE_APPLICATION_CREDENTIALS', value: '/var/run/secrets/claude-gateway/google.json' },
    ]);
    expect(container['volumeMounts']).toContainEqual({
      name: 'files',
      mountPath: '/var/run/secrets/claude-gateway',
      readOnly: true,
    });
    expect(pod['volumes']).toContainEqual({ name: 'files', secret: { secretName: 'claude-files' } });
    expect(pod['serviceAccountName']).toBe('claude');
    expect(one(kinds, 'ServiceAccount')['metadata']['annotations']).toEqual({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/gw',
    });
  });
});

describe("the chart's templates under Helm's engine", () => {
  function chartWith(template: string, values = 'name: x\n'): string {
    const folder = mkdtempSync(join(tmpdir(), 'cgw-helm-'));
    writeFileSync(join(folder, 'Chart.yaml'), 'apiVersion: v2\nname: x\nversion: 0.1.0\nappVersion: "1"\n');
    writeFileSync(join(folder, 'values.yaml'), values);
    mkdirSync(join(folder, 'templates'));
    writeFileSync(join(folder, 'templates', 'a.yaml'), template);
    return folder;
  }

  it('renders sprig, include and toYaml as helm does, and stops on an undefined function or a missing required value', () => {
    const folders = [
      chartWith(
        '{{- define "x.name" -}}{{ .Values.name | upper | trunc 63 }}{{- end -}}\nname: {{ include "x.name" . | quote }}\nlist:\n{{- toYaml .Values.items | nindent 2 }}\n',
        'name: gateway\nitems: [b, a]\n',
      ),
      chartWith('{{ .Values.name | shout }}\n'),
      chartWith('{{ required "image.tag is required" .Values.image.tag }}\n', 'image: {}\n'),
    ];
    try {
      const [ok, unknown, required] = folders as [string, string, string];
      expect(parse(renderChart(ok, 'r').files['a.yaml'] ?? '')).toEqual({
        name: 'GATEWAY',
        list: ['b', 'a'],
      });
      expect(() => renderChart(unknown, 'r')).toThrow(/function "shout" not defined/);
      expect(() => renderChart(required, 'r')).toThrow(/image\.tag is required/);
    } finally {
      for (const folder of folders) rmSync(folder, { recursive: true, force: true });
    }
  });
});
