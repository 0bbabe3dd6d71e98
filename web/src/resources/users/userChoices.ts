export const roleChoices = [
  { id: 'admin', name: 'Admin: administers everything' },
  { id: 'compliance', name: 'Compliance: content, policies (read), audit' },
  { id: 'finance', name: 'Finance: spend and prices, never content' },
  { id: 'sre', name: 'SRE: nodes, GPUs, requests without content' },
  { id: 'viewer', name: "Viewer: its own teams' dashboards" },
];

export const shortRoleChoices = roleChoices.map((choice) => ({ id: choice.id, name: choice.id }));
