import { request, requestFile } from '@/utils/request';
import type { ImportResult } from '@/api/types';

/// Uploads the file as the raw body. The name travels percent-encoded (UTF-8) in X-File-Name,
/// since HTTP header values cannot carry Chinese characters; the extension stays readable.
export function importHousehold(file: File) {
  return request<ImportResult>({
    url: '/imports/households',
    method: 'POST',
    data: file,
    headers: { 'X-File-Name': encodeURIComponent(file.name), 'Content-Type': 'application/octet-stream' },
  });
}

export function downloadImportReport(reportId: string) {
  return requestFile({ url: `/imports/${encodeURIComponent(reportId)}/report` }, `import-report-${reportId}.xlsx`);
}
