import { readToken } from '../../authProvider/session';

/** Downloads need the session token (a Bearer header), so a plain link cannot carry them: fetch, then save or open. */
export async function downloadReport(url: string, fileName: string, open: boolean): Promise<void> {
  const token = readToken();
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw new Error(`Download failed: ${response.status} ${await response.text()}`);
  const objectUrl = URL.createObjectURL(await response.blob());
  if (open) {
    window.open(objectUrl, '_blank', 'noopener');
  } else {
    const anchor = document.createElement('a');
    anchor.href = objectUrl;
    anchor.download = fileName;
    anchor.click();
  }
  setTimeout(() => URL.revokeObjectURL(objectUrl), 60_000);
}
