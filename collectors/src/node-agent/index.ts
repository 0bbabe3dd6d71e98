/** Public surface of the node agent, for the bin, the tests and the server (which mirrors the contract). */
export { main, reportOnce } from './main';
export { NodeAgent, nodeEndpoint } from './node-agent';
export { parseCommandLine, type AgentOptions } from './command-line';
export { ENGINE_KINDS, type EngineKind } from './engine-kind';
export { parsePrometheusText, samplesNamed, type Exposition, type MetricFamily, type Sample } from './prometheus-text';
export { readHistogram, histogramQuantile, histogramIncrease, type Histogram } from './histogram';
export { readEngineMetrics, engineKindOfExposition, type EngineReading } from './engine-metrics';
export { reportedMetrics } from './metric-rates';
export { parseNodePolicy } from './policy-client';
export { HEARTBEAT_SCHEMA_VERSION, type NodeHeartbeat, type NodeMetrics, type NodePolicy, type EngineStatus, type TimeToFirstTokenQuantiles } from './node-report';
export { AGENT_VERSION } from './version';
