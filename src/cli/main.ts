#!/usr/bin/env node
/** The `neurotriage` command line. */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { type AnalyzeCommandOptions, runAnalyze } from './analyze-command.js';
import { type ConvertOptions, runConvert } from './convert-command.js';
import { type EvaluateOptions, runEvaluate } from './evaluate-command.js';
import { type ExportDatasetCommandOptions, runExportDataset } from './export-dataset-command.js';
import { runInfo } from './info-command.js';
import { type HoldoutOptions, runHoldout } from './holdout-command.js';
import { type LearningCurveOptions, runLearningCurve } from './learning-curve-command.js';
import { registerModelsCommands } from './models-command.js';
import { RESEARCH_NOTICE } from './notice.js';
import { type TrainOptions, runTrain } from './train-command.js';
import { type RealScansOptions, runRealScans } from './real-scans-command.js';
import { type ServeOptions, runServe, runTokenCreate } from './serve-command.js';
import { type SynthCommandOptions, runSynth } from './synth-command.js';
import { type WorkerOptions, runWorker } from './worker-command.js';
import { EXIT_USER_ERROR, action } from './run-cli.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected an integer ≥ 1');
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError('expected a number > 0');
  return n;
}

function unitInterval(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n <= 1)) throw new InvalidArgumentError('expected a number in (0, 1]');
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected an integer ≥ 0');
  return n;
}

export function buildProgram(): Command {
  const program = new Command()
    .name('neurotriage')
    .description(`Stroke imaging AI for head CT and diffusion MRI. ${RESEARCH_NOTICE}`)
    .version('0.1.0')
    // `neurotriage --version` before a command; a command's own `--version` (models activate).
    .enablePositionalOptions()
    .exitOverride()
    .showHelpAfterError();
  program
    .command('info')
    .description('list the series in a DICOM folder, zip, DICOM file or NIfTI file')
    .argument('<path>', 'folder, .zip, DICOM file or .nii[.gz]')
    .option('--json', 'print JSON')
    .option('--no-intensity', 'do not decode pixels (faster; no intensity range)')
    .action(
      action((path: string, opts: { json?: boolean; intensity?: boolean }) => runInfo(path, opts)),
    );
  program
    .command('convert')
    .description('convert one series to NIfTI')
    .argument('<input>', 'folder, .zip, DICOM file or .nii[.gz]')
    .requiredOption('--out <file>', 'output .nii or .nii.gz')
    .option(
      '--series <id>',
      'series to convert (SeriesInstanceUID, series number or unique prefix)',
    )
    .option('--orient <mode>', 'dcm2niix (default for DICOM), native, or a code such as RAS/LPS')
    .option('--volume <n>', 'write only volume n (0-based) of a 4-D series', nonNegativeInt)
    .option('--map <map>', 'diffusion series: write b0, trace or adc (mm²/s) instead')
    .action(action((input: string, opts: ConvertOptions) => runConvert(input, opts)));
  program
    .command('synth')
    .description('write synthetic cases with known truth (NIfTI + manifest.jsonl)')
    .requiredOption('--task <task>', 'ich (head CT, haemorrhage) or infarct (DWI + ADC)')
    .option('--n <count>', 'number of cases', positiveInt, 8)
    .option('--seed <seed>', 'run seed (same seed → byte-identical output)', nonNegativeInt, 1)
    .requiredOption('--out <dir>', 'output folder')
    .option('--site <name>', 'scanner profile (default: drawn among the training sites)')
    .option(
      '--grid-spacing <mm>',
      'isotropic output grid instead of the acquisition grid',
      positiveNumber,
    )
    .option('--report', 'print synthetic vs real intensity statistics')
    .option('--gallery', 'write gallery.png: a montage of the cases with label overlays')
    .option('--dicom', 'also write every image as a DICOM series')
    .option('--jobs <n>', 'worker threads (default: cores, at most 4)', positiveInt)
    .option(
      '--background <folder>',
      'infarct: implant lesions into this real normal DWI of the data (e.g. dicom/dwi-siemens-xa30); odd cases negative',
    )
    .option('--data <dir>', 'shared reference data (default ../shared/data)')
    .action(action((opts: SynthCommandOptions) => runSynth(opts)));
  program
    .command('evaluate')
    .description(
      "metrics of predictions against truth: ISLES'22 definitions, detection, patient level",
    )
    .requiredOption(
      '--truth <path>',
      'manifest.jsonl, a folder holding one, or a folder of label maps',
    )
    .requiredOption(
      '--pred <dir>',
      'predictions: <id>.nii.gz or <id>/labels.nii.gz (+ report.json)',
    )
    .option('--json', 'print JSON')
    .option('--html <file>', 'write a self-contained HTML report')
    .option('--resample', 'resample predictions on another grid onto the truth grid')
    .option(
      '--target-sensitivity <p>',
      'sensitivity of the operating point (default 0.99)',
      unitInterval,
    )
    .option('--seed <n>', 'seed of the AUC bootstrap', nonNegativeInt)
    .option('--update-card <card.json>', 'write the operating point and metrics into a model card')
    .action(action((opts: EvaluateOptions) => runEvaluate(opts)));
  program
    .command('train')
    .description(
      'train a model on synthetic cases (PyTorch via /usr/bin/python3) and export ONNX + card',
    )
    .requiredOption('--task <task>', 'ich or infarct')
    .requiredOption('--out <dir>', 'output folder (arrays/, run/, model/, curves.png)')
    .option('--cases <n>', 'synthetic cases to make (default 40)', positiveInt)
    .option('--seed <n>', 'seed of synthesis and training', nonNegativeInt)
    .option('--spacing <mm>', 'model voxel size (default 2)', positiveNumber)
    .option('--arrays <dir>', 'use existing training arrays (index.json + .npy) instead')
    .option('--config <file>', 'training config JSON (training/README.md)')
    .option(
      '--from <checkpoint>',
      'fine-tune from this checkpoint, or from a model folder (model.onnx + card.json, e.g. models/infarct-dwi)',
    )
    .option('--steps <n>', 'training steps', positiveInt)
    .option(
      '--real-share <f>',
      'infarct: share of cases made by implanting lesions into the real normal DWIs of the data (0..1)',
      positiveNumber,
    )
    .option(
      '--hold-out <folders>',
      'with --real-share: background folders kept out of training, e.g. dicom/dwi-siemens-xa30',
    )
    .option('--arrays-only', 'write the training arrays and stop')
    .option('--data <dir>', 'shared reference data (default ../shared/data)')
    .action(action((opts: TrainOptions) => runTrain(opts)));
  program
    .command('analyze')
    .description('find haemorrhage (head CT) or infarct (DWI + ADC) and write maps + report')
    .argument(
      '<inputs...>',
      'DICOM folder, .zip, DICOM or NIfTI files (e.g. dwi.nii.gz adc.nii.gz)',
    )
    .requiredOption('--out <dir>', 'output folder (labels, probability, report.json, overview.png)')
    .option('--task <task>', 'auto (default), ich or infarct')
    .option(
      '--series <ids>',
      'use only these series (ids as `info` lists them, SeriesInstanceUID, series number or unique prefix), comma-separated or the option repeated',
      (value: string, previous: string[] = []) => [
        ...previous,
        ...value
          .split(',')
          .map((v) => v.trim())
          .filter((v) => v !== ''),
      ],
    )
    .option('--model <dir>', 'folder with model.onnx + card.json (default: models/ in the package)')
    .option(
      '--min-lesion-ml <ml>',
      'remove lesions smaller than this (default 0.01)',
      positiveNumber,
    )
    .option(
      '--max-relative-adc <ratio>',
      "infarct: keep a lesion only when its median ADC ≤ ratio × the scan's normal-tissue ADC (default: the card's)",
      positiveNumber,
    )
    .option('--json', 'print the report JSON')
    .option(
      '--tta',
      'mirroring test-time augmentation on the axes the model was trained to see mirrored (left-right for the default models: 2× slower)',
    )
    .option(
      '--b-value <s/mm²>',
      'the inputs are a DWI at this b-value and its b0 (NIfTI without .bval), in that order',
      positiveNumber,
    )
    .option(
      '--dicom-out <dir>',
      'DICOM input: also write DICOM SEG, SR (TID 1500) and key images in the source study',
    )
    .action(action((inputs: string[], opts: AnalyzeCommandOptions) => runAnalyze(inputs, opts)));
  const experiment = program
    .command('experiment')
    .description('experiments: holdout (analyze + evaluate a model), learning-curve, real-scans');
  experiment
    .command('learning-curve')
    .description('train on N cases for each size, test on the external site, plot Dice/F1 vs N')
    .requiredOption('--task <task>', 'ich or infarct')
    .requiredOption('--sizes <list>', 'training-set sizes, e.g. 25,50,100,200,400')
    .requiredOption('--out <dir>', 'output folder (arrays/, test/, n-N/, learning-curve.png/.json)')
    .option('--config <file>', 'training config JSON, the same for every size')
    .option('--steps <n>', 'training steps per size (default: the config)', positiveInt)
    .option('--test-cases <n>', 'held-out external-site cases (default 30)', positiveInt)
    .option('--seed <n>', 'seed of synthesis and training', nonNegativeInt)
    .option('--spacing <mm>', 'model voxel size (default 2)', positiveNumber)
    .option('--data <dir>', 'shared reference data (default ../shared/data)')
    .action(action((opts: LearningCurveOptions) => runLearningCurve(opts)));
  experiment
    .command('holdout')
    .description('run analyze on every case of a held-out manifest, then evaluate (HTML report)')
    .requiredOption('--model <dir>', 'model folder (model.onnx + card.json)')
    .requiredOption(
      '--truth <manifest>',
      'synth manifest.jsonl of the held-out cases (or its folder)',
    )
    .requiredOption('--out <dir>', 'output folder (predictions/, report.html)')
    .option(
      '--target-sensitivity <p>',
      'sensitivity of the operating point (default 0.99)',
      unitInterval,
    )
    .option('--update-card', "write the operating point and the metrics into the model's card")
    .option(
      '--max-relative-adc <ratio>',
      "infarct: the restriction check's ratio for every scan (default: the card's)",
      positiveNumber,
    )
    .action(action((opts: HoldoutOptions) => runHoldout(opts)));
  experiment
    .command('real-scans')
    .description(
      'the infarct model on every real diffusion scan of the data: a table, reports, pictures',
    )
    .requiredOption('--out <dir>', 'output folder (one folder per scan, real-scans.json)')
    .option('--model <dir>', 'model folder (default: the shipped infarct model)')
    .option('--data <dir>', 'shared reference data (default ../shared/data)')
    .option(
      '--max-relative-adc <ratio>',
      "infarct: the restriction check's ratio for every scan (default: the card's)",
      positiveNumber,
    )
    .action(action(async (opts: RealScansOptions) => void (await runRealScans(opts))));
  program
    .command('serve')
    .description(
      'run the triage service: HTTP API, SQLite store and analysis workers in one process',
    )
    .requiredOption('--data <dir>', 'data folder (SQLite file, received studies, results)')
    .option('--http-port <port>', 'HTTP port', nonNegativeInt, 8042)
    .option('--host <address>', 'address to bind (default: this machine only)', '127.0.0.1')
    .option('--workers <n>', 'analysis worker threads', nonNegativeInt, 1)
    .option('--model <dir>', 'one model folder for every task (default: the shipped ones)')
    .option('--reference-data <dir>', 'shared reference data (default ../shared/data)')
    .option('--max-upload-mb <mb>', 'largest upload (default 2048)', positiveNumber)
    .option('--quiet', 'no request log')
    .option('--shadow', 'shadow mode: analyse and record, but push and alert nothing')
    .option('--dicom-port <port>', 'DICOM C-STORE SCP port (0: a free one)', nonNegativeInt, 11112)
    .option('--no-dicom', 'no DICOM C-STORE SCP')
    .option('--ae-title <title>', 'our DICOM AE title (called by senders)', 'NEUROTRIAGE')
    .option('--allow-ae <titles>', 'calling AE titles allowed to send, comma-separated')
    .option(
      '--settle-s <s>',
      'seconds without a new instance before a study is received',
      positiveNumber,
      10,
    )
    .option(
      '--dicom-idle-s <s>',
      'seconds without a byte from a DICOM sender before its association is aborted',
      positiveNumber,
      60,
    )
    .option(
      '--push <AE@host:port>',
      'C-STORE the results (SEG, SR, key images) there; repeatable',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--redis <url>', 'put jobs on Redis (redis://host:port) for `neurotriage worker`s')
    .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate (with --tls-key)')
    .option('--tls-key <file>', 'the PEM private key of --tls-cert (unencrypted)')
    .option('--tls-ca <file>', 'require client certificates signed by this PEM CA (mutual TLS)')
    .option('--dicom-tls', 'the DICOM C-STORE SCP over TLS too (same certificate and CA)')
    .option('--push-tls', 'the --push destinations over TLS (our certificate; trust --tls-ca)')
    .option(
      '--redis-timeout-s <s>',
      'give up when Redis does not answer at start',
      positiveNumber,
      10,
    )
    .option(
      '--webhook <url>',
      'POST alerts (positive, no result, alarms) there as signed JSON; repeatable',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--webhook-secret-file <file>', 'HMAC-SHA256 key of the webhook signature')
    .option(
      '--fhir-endpoint <url>',
      "POST a positive study's FHIR DiagnosticReport there; repeatable",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option(
      '--alarm-no-result-min <min>',
      'alarm when a received study has no result after this long',
      positiveNumber,
      5,
    )
    .option(
      '--alarm-failures <n>',
      'alarm after this many consecutive studies without a result',
      positiveInt,
      3,
    )
    .action(action((opts: ServeOptions) => runServe(opts)));
  program
    .command('worker')
    .description('analyse the jobs of `serve --redis` (shares its --data folder)')
    .requiredOption('--redis <url>', 'the Redis of the serving process (redis://host:port)')
    .requiredOption('--data <dir>', "the serving process's data folder (shared storage)")
    .option('--concurrency <n>', 'jobs analysed at once (analysis threads)', positiveInt, 1)
    .option(
      '--threads <n>',
      'ONNX Runtime threads per analysis (default: cores / concurrency)',
      positiveInt,
    )
    .option('--model <dir>', 'one model folder for every task (default: the shipped ones)')
    .option('--reference-data <dir>', 'shared reference data (default ../shared/data)')
    .option(
      '--lock-ms <ms>',
      'job lock; a worker gone this long loses its job',
      positiveInt,
      30_000,
    )
    .option('--stalled-interval-ms <ms>', 'how often lost jobs are looked for', positiveInt, 30_000)
    .option(
      '--redis-timeout-s <s>',
      'give up when Redis does not answer at start',
      positiveNumber,
      10,
    )
    .action(action((opts: WorkerOptions) => runWorker(opts)));
  program
    .command('export-dataset')
    .description(
      "the service's reviewed studies (latest review accept or edited) as a labelled dataset",
    )
    .requiredOption('--data <dir>', "the service's data folder")
    .requiredOption('--out <dir>', 'dataset folder (new or empty)')
    .requiredOption('--layout <layout>', 'nnunet (nnU-Net v2 raw) or isles22 (BIDS-like)')
    .option('--include <states>', 'latest reviews taken: accepted,edited (default both)')
    .option('--task <task>', 'ich or infarct (needed when both were reviewed)')
    .action(action((opts: ExportDatasetCommandOptions) => runExportDataset(opts)));
  program
    .command('token')
    .description('API tokens of the triage service')
    .command('create')
    .description('print a new token for the service in --data (only its SHA-256 is stored)')
    .requiredOption('--data <dir>', "the service's data folder")
    .option('--name <name>', 'what the token is for', 'default')
    .action(action(async (opts: { data: string; name: string }) => runTokenCreate(opts)));
  registerModelsCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  // Output piped into `head` and closed early is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : EXIT_USER_ERROR;
      return;
    }
    throw e;
  }
}

await main(process.argv);
