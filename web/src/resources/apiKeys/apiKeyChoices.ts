export const scopeChoices = [
  { id: 'ingest', name: 'ingest: send request logs, GPU samples, scores, traces' },
  { id: 'gateway', name: 'gateway: call models through the gateway' },
  { id: 'authorize', name: 'authorize: ask the decision API, settle usage' },
  { id: 'admin', name: 'admin: policies and redaction by API' },
];
