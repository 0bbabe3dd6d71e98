/** The detail page of one GPU; node names and uuids may hold characters a path must escape. */
export function gpuDetailLink(node: string, gpuUuid: string): string {
  return `/fleet/${encodeURIComponent(node)}/${encodeURIComponent(gpuUuid)}`;
}
