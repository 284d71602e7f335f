// Saving a file from the webview: a Blob behind an <a download>. A browser saves it to its
// downloads; a webview that ignores `download` does nothing, hence "Copy JSON" beside it.
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.style.display = "none";
  document.body.append(a);
  a.click();
  a.remove();
  // After the click has been handled: revoking at once can cancel the save.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
