/** @module dashboards: Grafana provisioning files — provider, datasource and dashboards, laid out to mount in a container. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { drillPlan } from './fixtures/drill-plan.js';
import { buildDashboard, CONTAINER_DASHBOARDS_PATH, writeProvisioning } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'cb-provision-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeProvisioning', () => {
  it('writes a file provider, a Prometheus datasource and one JSON per dashboard', async () => {
    const dashboard = buildDashboard(drillPlan());
    const files = await writeProvisioning(dir, { prometheusUrl: 'http://127.0.0.1:9090', dashboards: [dashboard], scrapeInterval: '1s' });
    expect(files.dashboards).toEqual([join(dir, 'dashboards', 'codeblue-ehr-outage-drill.json')]);
    expect(parse(readFileSync(join(dir, 'provisioning/dashboards/codeblue.yaml'), 'utf8'))).toEqual({
      apiVersion: 1,
      providers: [{ name: 'codeblue', orgId: 1, folder: 'codeblue', type: 'file', disableDeletion: false, updateIntervalSeconds: 10, allowUiUpdates: false, options: { path: CONTAINER_DASHBOARDS_PATH } }],
    });
    expect(parse(readFileSync(join(dir, 'provisioning/datasources/codeblue.yaml'), 'utf8'))).toEqual({
      apiVersion: 1,
      datasources: [{
        name: 'Prometheus (codeblue)', uid: 'codeblue-prometheus', type: 'prometheus', access: 'proxy', url: 'http://127.0.0.1:9090',
        isDefault: true, editable: true, jsonData: { timeInterval: '1s', httpMethod: 'POST' },
      }],
    });
    expect(JSON.parse(readFileSync(files.dashboards[0] as string, 'utf8'))).toEqual(dashboard);
  });

  it('rejects a non-http Prometheus URL and a dashboard without a usable uid', async () => {
    await expect(writeProvisioning(dir, { prometheusUrl: '127.0.0.1:9090', dashboards: [] })).rejects.toMatchObject({ code: 'CB_USAGE', hint: expect.stringContaining('http://') });
    const d = buildDashboard(drillPlan());
    await expect(writeProvisioning(dir, { prometheusUrl: 'http://p:9090', dashboards: [d, d] })).rejects.toMatchObject({ code: 'CB_USAGE', message: expect.stringContaining('repeated') });
    await expect(writeProvisioning(dir, { prometheusUrl: 'http://p:9090', dashboards: [{ uid: '../x' }] })).rejects.toMatchObject({ code: 'CB_USAGE' });
  });
});
