/**
 * Saves text as a file through the browser's download (Electron and browser mode alike): the one
 * place that turns an export into a file on the user's disk.
 */
export function downloadText(fileName: string, text: string, mimeType = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  URL.revokeObjectURL(url);
}
