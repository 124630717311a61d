/**
 * Files the user picks or drops, read into memory with their relative names: a file picker
 * (several files), a folder picker (`webkitdirectory`, a DICOM folder) or a drop of files and
 * folders (walked with the File and Directory Entries API). Nothing is uploaded.
 */
export interface PickedFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

async function read(file: File, name: string): Promise<PickedFile> {
  return { name, bytes: new Uint8Array(await file.arrayBuffer()) };
}

/** From an `<input type=file>`: relative paths for a folder pick, else the file names. */
export function readFileList(list: FileList): Promise<PickedFile[]> {
  return Promise.all([...list].map((f) => read(f, f.webkitRelativePath || f.name)));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function children(entry: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = entry.createReader();
  const all: FileSystemEntry[] = [];
  // readEntries answers in batches until an empty one.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

async function walk(entry: FileSystemEntry, out: Promise<PickedFile>[]): Promise<void> {
  const name = entry.fullPath.replace(/^\//, '');
  if (entry.isFile) out.push(fileOf(entry as FileSystemFileEntry).then((f) => read(f, name)));
  else if (entry.isDirectory)
    for (const child of await children(entry as FileSystemDirectoryEntry)) await walk(child, out);
}

/** From a drop: files and whole folders. */
export async function readDrop(transfer: DataTransfer): Promise<PickedFile[]> {
  const entries = [...transfer.items]
    .map((item) => item.webkitGetAsEntry())
    .filter((e): e is FileSystemEntry => e !== null);
  if (entries.length === 0) return readFileList(transfer.files);
  const out: Promise<PickedFile>[] = [];
  for (const entry of entries) await walk(entry, out);
  return Promise.all(out);
}
