/**
 * Names for received files, made by the service: `0001.nii.gz`, `0001.bval`, `0002`, … The
 * client's file name only chooses the kind (NIfTI, its `.bval`/`.bvec` sidecars, zip, other)
 * and which files belong together: files with the same stem (`dwi.nii.gz` and `dwi.bval`) get
 * the same number, so the catalog still pairs them. The client's names are kept nowhere.
 */
const KINDS: readonly [RegExp, string][] = [
  [/\.nii\.gz$/i, '.nii.gz'],
  [/\.nii$/i, '.nii'],
  [/\.bval$/i, '.bval'],
  [/\.bvec$/i, '.bvec'],
  [/\.zip$/i, '.zip'],
];

export class InputNamer {
  private readonly stems = new Map<string, number>();
  private readonly used = new Set<string>();
  private count = 0;

  /** The stored name for a file the client called `clientName` (may be empty). */
  next(clientName: string): string {
    const base = clientName.split(/[\\/]/).pop() ?? '';
    const kind = KINDS.find(([re]) => re.test(base));
    const ext = kind?.[1] ?? '';
    // Only NIfTI files and their sidecars pair up by stem; every other file gets its own number.
    const pairs = ext !== '' && ext !== '.zip';
    const stem = pairs ? base.slice(0, base.length - ext.length).toLowerCase() : undefined;
    let n = stem !== undefined ? this.stems.get(stem) : undefined;
    // A new stem, or a second file of the same stem and kind (two `a.nii.gz`): a new number.
    if (n === undefined || this.used.has(nameOf(n, ext))) {
      n = ++this.count;
      if (stem !== undefined && !this.stems.has(stem)) this.stems.set(stem, n);
    }
    const name = nameOf(n, ext);
    this.used.add(name);
    return name;
  }
}

function nameOf(n: number, ext: string): string {
  return `${String(n).padStart(4, '0')}${ext}`;
}
