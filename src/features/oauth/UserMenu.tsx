import { useEffect, useRef, useState } from 'react';
import Avatar from '@mui/material/Avatar';
import Button from '@mui/material/Button';
import Divider from '@mui/material/Divider';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Typography from '@mui/material/Typography';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import { selectGrantedScopes, selectOAuthSession, selectOAuthStatus } from './oauthSlice';
import { logout } from './oauthThunks';
import { describeScope } from '../../../protocol/scopes';

function expiryText(expiresAt: number | null, now: number): string {
  if (expiresAt === null) return 'Does not expire';
  const minutes = Math.round((expiresAt - now) / 60_000);
  if (minutes <= 0) return 'Expired';
  return minutes < 90 ? `Expires in ${minutes} min` : `Expires in ${Math.round(minutes / 60)} h`;
}

/** The logged-in user in the header: name, avatar, organization; scopes, expiry and Logout. */
export default function UserMenu() {
  const dispatch = useAppDispatch();
  const session = useAppSelector(selectOAuthSession);
  const scopes = useAppSelector(selectGrantedScopes);
  const status = useAppSelector(selectOAuthStatus);
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [openedAt, setOpenedAt] = useState(0);
  const button = useRef<HTMLButtonElement>(null);
  // Logging in replaced the focused login button with this one: the focus comes here, not to
  // the page's start (it is on the body only when its element went away, or on a fresh load).
  useEffect(() => {
    if (document.activeElement === document.body) button.current?.focus();
  }, []);
  if (!session) return null;
  const user = session.user;
  const name = user?.name ?? 'CARTO user';

  return (
    <>
      <Button
        ref={button}
        color="inherit"
        onClick={(event) => {
          setOpenedAt(Date.now());
          setAnchor(event.currentTarget);
        }}
        aria-haspopup="menu"
        sx={{ textTransform: 'none', gap: 1 }}
      >
        <Avatar
          src={user?.avatarUrl}
          alt=""
          aria-hidden
          sx={{ width: 28, height: 28, fontSize: 14 }}
        >
          {name.slice(0, 1).toUpperCase()}
        </Avatar>
        {/* Named by what it shows (WCAG 2.5.3), after a prefix only screen readers read. */}
        <span className="visually-hidden">Account:</span>{' '}
        <span className="app-header__user">
          {name}
          {user?.organization && <small> · {user.organization}</small>}
        </span>
      </Button>
      <Menu anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)}>
        <MenuItem disabled sx={{ display: 'block', opacity: '1 !important' }}>
          <Typography variant="subtitle2">{name}</Typography>
          {user?.email && <Typography variant="body2">{user.email}</Typography>}
          {user?.organization && (
            <Typography variant="body2" color="text.secondary">
              {user.organization}
            </Typography>
          )}
        </MenuItem>
        <Divider />
        {/* A heading among menu items is a (disabled) menu item too: a menu holds only those. */}
        <MenuItem disabled sx={{ opacity: '1 !important', minHeight: 0 }}>
          <Typography variant="overline" sx={{ color: 'text.primary', lineHeight: 1.5 }}>
            Permissions granted
          </Typography>
        </MenuItem>
        {scopes.map((scope) => (
          <MenuItem
            key={scope}
            disabled
            sx={{ opacity: '1 !important', whiteSpace: 'normal', maxWidth: 360 }}
          >
            <Typography variant="body2">{describeScope(scope)}</Typography>
          </MenuItem>
        ))}
        <Divider />
        <MenuItem disabled sx={{ opacity: '1 !important' }}>
          <Typography variant="body2" color="text.secondary" data-testid="token-expiry">
            {status === 'expired' ? 'Session expired' : expiryText(session.expiresAt, openedAt)}
          </Typography>
        </MenuItem>
        <MenuItem
          onClick={() => {
            setAnchor(null);
            void dispatch(logout());
          }}
        >
          Log out
        </MenuItem>
      </Menu>
    </>
  );
}
