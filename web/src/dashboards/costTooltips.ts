// What every cost figure of the console contains, shown on hover, so no figure is read as something it is not.

export const costTooltips = {
  api: 'Hosted APIs: the priced requests to external providers (catalog or sender-reported price). Requests served by a registered node with a cost are not in it.',
  onPrem:
    'Own GPUs: each node-hour costs its hourly rate plus measured energy, split over the requests served in that hour by weighted tokens ' +
    '(input × 1 + output × 4). Includes the idle hours of nodes whose owner team is set; other idle hours stay with the node (On-prem vs API page).',
  total: 'All in: hosted APIs + own GPUs. Hours not yet closed are estimated from the hour so far.',
  idle: "Idle GPU hours of nodes this team owns (no requests served): carried by the team, shown as its own line.",
  estimated: 'Includes the current hour, not yet closed: estimated from the hour so far and will change.',
  budgetSpent: 'All-in spend this month so far (hosted APIs + own GPUs + idle hours of owned nodes).',
  budgetLimit: "The tightest monthly USD quota of the team's and the organisation's policies in force for the month.",
  budgetForecast:
    'Month-end forecast: spend so far plus the rest of the month at the mean daily spend of its weekdays and weekend days so far; ' +
    'the range uses its quietest and busiest days.',
} as const;
