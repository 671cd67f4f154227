/** Whether a stored document may be handed out (docs/api.md, resume download): only what the scan found clean. */

/** The longest a download link stays valid (docs/api.md: at most 5 minutes). */
export const DOWNLOAD_LINK_SECONDS = 300;

const NOT_YET = new Set(['pending_upload', 'uploaded']);

export type DownloadDecision =
  | { ok: true }
  | { ok: false; code: 'DOCUMENT_NOT_READY' | 'DOCUMENT_REJECTED'; reason: string };

export function decideDownload(scanStatus: string): DownloadDecision {
  if (scanStatus === 'clean') return { ok: true };
  if (NOT_YET.has(scanStatus)) {
    return {
      ok: false,
      code: 'DOCUMENT_NOT_READY',
      reason: 'the document is not uploaded or not scanned yet',
    };
  }
  // infected, failed, rejected, and any status added later: never handed out
  return {
    ok: false,
    code: 'DOCUMENT_REJECTED',
    reason: `the document was not cleared by the scan (${scanStatus})`,
  };
}
