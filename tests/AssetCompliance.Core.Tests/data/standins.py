# Loopback stand-ins for tests/AssetCompliance.Core.Tests/data/nmap-loopback-standins.xml: HTTP and RTSP servers answering
# as Hikvision, Dahua and Axis devices do (Server headers, Digest realms). Run as root, scan, then stop it by its pid.
import socket, threading, sys, time
def http(addr, port, server, realm=None, title=None):
    s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR,1); s.bind((addr,port)); s.listen(16)
    def run():
        while True:
            c,_=s.accept()
            try:
                c.settimeout(5); data=b''
                while b'\r\n\r\n' not in data:
                    d=c.recv(4096)
                    if not d: break
                    data+=d
                body=('<html><head><title>%s</title></head><body>x</body></html>'%(title or 'Login')).encode()
                if realm and (b'Authorization' not in data):
                    hdr='HTTP/1.1 401 Unauthorized\r\nServer: %s\r\nWWW-Authenticate: Digest realm="%s", nonce="abc", qop="auth"\r\nContent-Type: text/html\r\nContent-Length: %d\r\nConnection: close\r\n\r\n'%(server,realm,len(body))
                else:
                    hdr='HTTP/1.1 200 OK\r\nServer: %s\r\nContent-Type: text/html\r\nContent-Length: %d\r\nConnection: close\r\n\r\n'%(server,len(body))
                c.sendall(hdr.encode()+body)
            except Exception: pass
            finally: c.close()
    threading.Thread(target=run,daemon=True).start()
def rtsp(addr, port, server):
    s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR,1); s.bind((addr,port)); s.listen(16)
    def run():
        while True:
            c,_=s.accept()
            try:
                c.settimeout(5)
                while True:
                    data=c.recv(4096)
                    if not data: break
                    cseq='1'
                    for l in data.decode('latin1').split('\r\n'):
                        if l.lower().startswith('cseq:'): cseq=l.split(':',1)[1].strip()
                    c.sendall(('RTSP/1.0 200 OK\r\nCSeq: %s\r\nServer: %s\r\nPublic: OPTIONS, DESCRIBE, SETUP, TEARDOWN, PLAY, PAUSE, GET_PARAMETER, SET_PARAMETER\r\n\r\n'%(cseq,server)).encode())
            except Exception: pass
            finally: c.close()
    threading.Thread(target=run,daemon=True).start()
http('127.0.0.2',80,'App-webs/',realm=None)
rtsp('127.0.0.2',554,'Hikvision Rtsp Server')
http('127.0.0.3',80,'Apache/2.4.57 (Unix)',title='AXIS')
http('127.0.0.4',80,'Webs',realm='Login to 4M0A1234PAZ1234')
rtsp('127.0.0.4',554,'Dahua Rtsp Server')
http('127.0.0.5',80,'DNVRS-Webs',realm='Hikvision')
http('127.0.0.6',80,'Hikvision-Webs')
print('ready',flush=True)
while True: time.sleep(3600)
