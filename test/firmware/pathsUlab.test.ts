// Every load path on the official firmware with the ulab forward pass (loadPaths.ts).
import { describeLoadPaths } from './loadPaths';

describeLoadPaths('ulab');
