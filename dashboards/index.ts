/** @module dashboards: Grafana dashboards from a plan or a finished run, provisioning files, push, scrape config. */
export { buildDashboard, DEFAULT_ANNOTATIONS, RUN_VARIABLE_QUERY } from './build.js';
export type { AnnotationSpec, BuildDashboardOptions } from './build.js';
export { buildRunDashboard, faultWindows, journalAnnotations } from './run-dashboard.js';
export type { FaultWindow, RunDashboardOptions } from './run-dashboard.js';
export { SCHEMA_VERSION } from './convert.js';
export { writeProvisioning, CONTAINER_DASHBOARDS_PATH, PROVISIONED_DATASOURCE_UID } from './provision.js';
export type { ProvisioningFiles, ProvisioningOptions } from './provision.js';
export { pushDashboard } from './push.js';
export { journalAnnotationRequests, parseJournal, pushAnnotations } from './journal-annotations.js';
export type { GrafanaAnnotation } from './journal-annotations.js';
export type { GrafanaTarget } from './grafana-api.js';
export type { PushOptions, PushResult } from './push.js';
export { prometheusScrapeConfig } from './prometheus-config.js';
export type { ScrapeConfigOptions } from './prometheus-config.js';
export { dashboardQueries } from './queries.js';
export type { DashboardQuery } from './queries.js';
export { BURN_WINDOWS, burnFactor, sloErrorRatio } from './slo-queries.js';
export type { BurnWindow } from './slo-queries.js';
