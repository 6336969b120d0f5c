import { useDispatch, useSelector, useStore } from 'react-redux';
import type { AppDispatch, AppStore, RootState } from './store';

export const useAppDispatch = useDispatch.withTypes<AppDispatch>();
export const useAppSelector = useSelector.withTypes<RootState>();
/** @public For code that needs the store itself (e.g. to read state in an event handler). */
export const useAppStore = useStore.withTypes<AppStore>();
