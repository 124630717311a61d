/**
 * Our diffusion reader against an independent computation, per vendor: every real diffusion
 * DICOM folder of the data (each `dicom/dwi-*` and its sub-folders) is converted by dcm2niix
 * (the wasm peer) to a 4-D NIfTI + .bval, and trace and ADC are computed from that with NumPy
 * (`bench/tools/diffusion_maps_numpy.py`); ours come from `neurotriage convert --map trace|adc
 * --orient dcm2niix` on the same folder. Prints a markdown table: b-value, voxels compared, the
 * two median brain ADCs, their median ratio and absolute difference, the share of voxels off by
 * more than 10 %, and the trace ratio. `npm run bench:diffusion-maps`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDcm2niix } from '../src/testing/dcm2niix-peer.js';
import { repoRoot, sharedDataPath } from '../src/testing/shared-data.js';

interface Row {
  readonly folder: string;
  readonly result?: Record<string, number | boolean>;
  readonly note?: string;
}

function folders(): string[] {
  const dicom = sharedDataPath('dicom');
  const out: string[] = [];
  for (const d of readdirSync(dicom).sort()) {
    const base = join(dicom, d, 'dicom');
    if (!d.startsWith('dwi-') || !existsSync(base)) continue;
    const subs = readdirSync(base).filter((s) => statSync(join(base, s)).isDirectory());
    out.push(...(subs.length ? subs.map((s) => join(base, s)) : [base]));
  }
  return out;
}

async function main(): Promise<void> {
  const peer = await loadDcm2niix();
  const tmp = mkdtempSync(join(tmpdir(), 'nt-dmaps-'));
  const rows: Row[] = [];
  const cli = join(repoRoot(), 'dist', 'src', 'cli', 'main.js');
  try {
    for (const folder of folders()) {
      const name = folder.slice(sharedDataPath('dicom').length + 1);
      const out = peer.convert({ folder, keepData: true });
      const withB = out.files
        .filter((f) => f.name.endsWith('.bval'))
        .map((f) => ({
          bval: f,
          nii: out.files.find((n) => n.name === f.name.replace(/\.bval$/, '.nii')),
        }))
        .filter((p) => {
          const b = new TextDecoder().decode(p.bval.data).trim().split(/\s+/).map(Number);
          return p.nii && b.some((x) => x < 50) && b.some((x) => x >= 50);
        });
      const pair = withB[0];
      if (!pair?.nii?.data || !pair.bval.data) {
        rows.push({ folder: name, note: 'dcm2niix wrote no series with b0 and b>0' });
        continue;
      }
      const dir = join(tmp, name.replace(/\//g, '_'));
      const peerNii = `${dir}-peer.nii`;
      const peerBval = `${dir}-peer.bval`;
      writeFileSync(peerNii, pair.nii.data);
      writeFileSync(peerBval, pair.bval.data);
      const ours = (map: string) => {
        const path = `${dir}-ours-${map}.nii`;
        const r = spawnSync(
          process.execPath,
          [cli, 'convert', folder, '--map', map, '--orient', 'dcm2niix', '--out', path],
          { encoding: 'utf8' },
        );
        if (r.status !== 0) throw new Error(`convert --map ${map} ${name}: ${r.stderr}`);
        return path;
      };
      let trace: string;
      let adc: string;
      try {
        trace = ours('trace');
        adc = ours('adc');
      } catch (e) {
        rows.push({ folder: name, note: (e as Error).message.split('\n')[0] });
        continue;
      }
      const script = join(repoRoot(), 'bench', 'tools', 'diffusion_maps_numpy.py');
      const r = spawnSync('/usr/bin/python3', [script, peerNii, peerBval, trace, adc], {
        encoding: 'utf8',
      });
      if (r.status !== 0)
        rows.push({
          folder: name,
          note: `numpy check failed: ${r.stderr.trim().split('\n').pop()}`,
        });
      else
        rows.push({
          folder: name,
          result: JSON.parse(r.stdout) as Record<string, number | boolean>,
        });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const head =
    '| DICOM folder | b | voxels | ADC median, NumPy on dcm2niix | ADC median, ours | ADC ratio (median) | abs. diff. (median) | voxels > 10 % off | trace ratio |';
  process.stdout.write(
    `dcm2niix ${peer.version} (wasm) + NumPy vs neurotriage convert; ADC in 10⁻⁶ mm²/s, brain voxels (ADC 100–1,500 in the peer's map)\n\n${head}\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n`,
  );
  for (const row of rows) {
    const r = row.result;
    if (r && r.voxels === 0)
      process.stdout.write(
        `| \`${row.folder}\` | ${r.bValue} | 0 (no brain voxel in common) | | | | | | |\n`,
      );
    else if (!r) process.stdout.write(`| \`${row.folder}\` | ${row.note} | | | | | | | |\n`);
    else
      process.stdout.write(
        `| \`${row.folder}\` | ${r.bValue} | ${r.voxels} | ${r.adcMedianPeer1e6} | ${r.adcMedianOurs1e6} | ${r.adcRatioMedian} | ${r.adcMedianAbsDiff1e6} | ${((r.adcOver10pct as number) * 100).toFixed(1)} % | ${r.traceRatioMedian}${r.sameGrid ? '' : ' (grids differ!)'} |\n`,
      );
  }
}

await main();
