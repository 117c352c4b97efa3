// Every load path on the official firmware with the pure-Python forward pass (loadPaths.ts).
import { describeLoadPaths } from './loadPaths';

describeLoadPaths('pure Python');
